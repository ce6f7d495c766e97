package dev.ocmirror.orchestrator.cluster;

import org.springframework.stereotype.Component;

/** A step that takes a little time, so that both nodes of the cluster test get some of the jobs. */
@Component("clusterProbe")
public class ClusterProbe {

  public void visit() throws InterruptedException {
    Thread.sleep(500);
  }
}
