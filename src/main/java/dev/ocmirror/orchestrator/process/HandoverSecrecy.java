package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.MEDIA_ID;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.SEAL_NUMBER;

import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.event.HistoricFormPropertyEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricVariableUpdateEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.spring.boot.starter.configuration.impl.AbstractCamundaConfiguration;
import org.springframework.stereotype.Component;

/**
 * The media id and seal number handed over are what the receiver must read off the media, so nobody who may
 * confirm a receipt may be able to look them up. {@link Custody} keeps them in the service's custody record and
 * removes the variables; this keeps them out of the engine's history too (variable history and form history, which
 * operators and change managers can read), where only a note says where they are kept. The audit shows them from
 * the custody record.
 */
@Component
public class HandoverSecrecy extends AbstractCamundaConfiguration {

  static final Set<String> KEPT_OUT_OF_HISTORY = Set.of(MEDIA_ID, SEAL_NUMBER);
  static final String NOTE = "(kept in the custody record of the transfer)";

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    HistoryHandlers.addFirst(configuration, new Mask());
  }

  static final class Mask implements HistoryEventHandler {

    @Override
    public void handleEvent(HistoryEvent event) {
      if (event instanceof HistoricVariableUpdateEventEntity update && KEPT_OUT_OF_HISTORY.contains(update.getVariableName())
          && update.getTextValue() != null) {
        update.setTextValue(NOTE);
        update.setTextValue2(null);
      } else if (event instanceof HistoricFormPropertyEventEntity property
          && KEPT_OUT_OF_HISTORY.contains(property.getPropertyId())) {
        property.setPropertyValue(NOTE);
      }
    }

    @Override
    public void handleEvents(List<HistoryEvent> events) {
      events.forEach(this::handleEvent);
    }
  }
}
