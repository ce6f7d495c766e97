package dev.ocmirror.orchestrator.process;

import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import org.springframework.stereotype.Component;

/** The configured times the models' timers read ({@code ${lifecycleTimes.reminderAfter()}}). */
@Component("lifecycleTimes")
public class LifecycleTimes {

  private final LifecycleProperties properties;

  LifecycleTimes(LifecycleProperties properties) {
    this.properties = properties;
  }

  /** The time cycle of the scheduled update (cron or ISO-8601). */
  public String updateSchedule() {
    return properties.update().schedule();
  }

  /** ISO-8601 duration after which a delivery still waiting for its site report is reminded. */
  public String siteReportReminderAfter() {
    return properties.media().reportReminderAfter().toString();
  }

  /** ISO-8601 duration after which a waiting approval is reminded. */
  public String reminderAfter() {
    return properties.approval().reminderAfter().toString();
  }
}
