package dev.ocmirror.orchestrator.process;

import dev.ocmirror.orchestrator.lifecycle.DeliverySteps;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The delegates that one class serves under two names, one per service task. */
@Configuration
class DelegateBeans {

  @Bean
  ApplyClusterResourcesDelegate applyClusterResources(DeliverySteps delivery) {
    return new ApplyClusterResourcesDelegate(delivery, false);
  }

  @Bean
  ApplyClusterResourcesDelegate applyRollback(DeliverySteps delivery) {
    return new ApplyClusterResourcesDelegate(delivery, true);
  }
}
