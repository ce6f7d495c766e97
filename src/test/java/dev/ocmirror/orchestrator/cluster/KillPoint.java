package dev.ocmirror.orchestrator.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.spring.boot.starter.configuration.impl.AbstractCamundaConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Armed only in a node the kill campaign starts to be killed: when the armed service task ends (its work done, the
 * job's transaction not yet committed), or the armed user task is completed (the person's request not yet answered),
 * the thread writes a marker file and waits for the SIGKILL the test sends on seeing it. Nothing of the service
 * changes; the node simply never gets past that point.
 */
@Component
@ConditionalOnProperty("test.kill-point.activity")
public class KillPoint extends AbstractCamundaConfiguration {

  private final String activityId;
  private final Path marker;

  KillPoint(@Value("${test.kill-point.activity}") String activityId, @Value("${test.kill-point.marker}") Path marker) {
    this.activityId = activityId;
    this.marker = marker;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<BpmnParseListener> listeners = new ArrayList<>();
    if (configuration.getCustomPostBPMNParseListeners() != null) {
      listeners.addAll(configuration.getCustomPostBPMNParseListeners());
    }
    listeners.add(new AbstractBpmnParseListener() {
      @Override
      public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
        arm(activity);
      }

      @Override
      public void parseUserTask(Element element, ScopeImpl scope, ActivityImpl activity) {
        arm(activity);
      }
    });
    configuration.setCustomPostBPMNParseListeners(listeners);
  }

  private void arm(ActivityImpl activity) {
    if (activity.getId().equals(activityId)) {
      activity.addListener(ExecutionListener.EVENTNAME_END, (ExecutionListener) execution -> waitToBeKilled());
    }
  }

  private void waitToBeKilled() throws Exception {
    Files.writeString(marker, activityId);
    Thread.sleep(Long.MAX_VALUE);
  }
}
