package dev.ocmirror.orchestrator.process;

import dev.ocmirror.orchestrator.lifecycle.ApplyClusterResources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The delegates that one class serves under two names, one per service task. */
@Configuration
class DelegateBeans {

  @Bean
  ApplyClusterResourcesDelegate applyClusterResources(ApplyClusterResources step) {
    return new ApplyClusterResourcesDelegate(step, false);
  }

  @Bean
  ApplyClusterResourcesDelegate applyRollback(ApplyClusterResources step) {
    return new ApplyClusterResourcesDelegate(step, true);
  }
}
