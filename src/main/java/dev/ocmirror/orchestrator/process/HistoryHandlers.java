package dev.ocmirror.orchestrator.process;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;

/** The one way the service adds a history event handler: before the others, and so before the database's. */
final class HistoryHandlers {

  private HistoryHandlers() {
  }

  /** The engine always adds its database handler last, so a handler added here may still change an event. */
  static void addFirst(ProcessEngineConfigurationImpl configuration, HistoryEventHandler handler) {
    List<HistoryEventHandler> handlers = new ArrayList<>();
    handlers.add(handler);
    if (configuration.getCustomHistoryEventHandlers() != null) {
      handlers.addAll(configuration.getCustomHistoryEventHandlers());
    }
    configuration.setCustomHistoryEventHandlers(handlers);
  }
}
