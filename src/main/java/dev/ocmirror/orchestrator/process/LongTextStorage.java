package dev.ocmirror.orchestrator.process;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.event.HistoricFormPropertyEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.engine.impl.variable.serializer.PrimitiveValueSerializer;
import org.camunda.bpm.engine.impl.variable.serializer.TypedValueSerializer;
import org.camunda.bpm.engine.impl.variable.serializer.ValueFields;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.impl.value.UntypedValueImpl;
import org.camunda.bpm.engine.variable.type.ValueType;
import org.camunda.bpm.engine.variable.value.StringValue;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.camunda.bpm.spring.boot.starter.configuration.impl.AbstractCamundaConfiguration;
import org.springframework.stereotype.Component;

/**
 * Lets a text variable be as long as it needs to be. Camunda keeps a String variable in a {@code varchar(4000)}
 * column (runtime, history and every history detail), so a configuration with many operators, or the details of
 * a failed import, broke the whole command. Text too long for that column is kept in the engine's byte array
 * table instead; it stays a String for every reader (Tasklist, REST, the service), and shorter text is stored as
 * before.
 */
@Component
public class LongTextStorage extends AbstractCamundaConfiguration {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<TypedValueSerializer> serializers = new ArrayList<>();
    // First: for a plain Java String the engine takes the first primitive serializer that accepts it.
    serializers.add(new LongTextSerializer());
    if (configuration.getCustomPreVariableSerializers() != null) {
      serializers.addAll(configuration.getCustomPreVariableSerializers());
    }
    configuration.setCustomPreVariableSerializers(serializers);

    HistoryHandlers.addFirst(configuration, new FormPropertyExcerpt());
  }

  /**
   * A submitted form also leaves each value as a "form property" history row, in a text column only. The value
   * itself is in the variable's history in full (through {@link LongTextSerializer}); that row keeps its beginning.
   */
  static final class FormPropertyExcerpt implements HistoryEventHandler {

    static final String CUT = "... (cut here; the variable's history holds the whole text)";

    @Override
    public void handleEvent(HistoryEvent event) {
      if (event instanceof HistoricFormPropertyEventEntity property && property.getPropertyValue() instanceof String text
          && text.getBytes(StandardCharsets.UTF_8).length > LongTextSerializer.TEXT_COLUMN_LIMIT) {
        int keep = LongTextSerializer.TEXT_COLUMN_LIMIT / 4 - CUT.length();
        property.setPropertyValue(text.substring(0, keep) + CUT);
      }
    }

    @Override
    public void handleEvents(List<HistoryEvent> events) {
      events.forEach(this::handleEvent);
    }
  }

  /** A String too long for the text column, kept as UTF-8 bytes. */
  public static final class LongTextSerializer extends PrimitiveValueSerializer<StringValue> {

    public static final String NAME = "longText";
    /** The engine's text columns are varchar(4000); some databases count that in bytes. */
    static final int TEXT_COLUMN_LIMIT = 4000;

    public LongTextSerializer() {
      super(ValueType.STRING);
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    protected boolean canWriteValue(TypedValue value) {
      return value.getValue() instanceof String text && text.length() > TEXT_COLUMN_LIMIT / 4
          && text.getBytes(StandardCharsets.UTF_8).length > TEXT_COLUMN_LIMIT;
    }

    @Override
    public StringValue convertToTypedValue(UntypedValueImpl untypedValue) {
      return Variables.stringValue((String) untypedValue.getValue(), untypedValue.isTransient());
    }

    @Override
    public void writeValue(StringValue value, ValueFields valueFields) {
      valueFields.setTextValue(null);
      valueFields.setByteArrayValue(value.getValue().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public StringValue readValue(ValueFields valueFields, boolean asTransientValue) {
      byte[] bytes = valueFields.getByteArrayValue();
      return Variables.stringValue(bytes == null ? null : new String(bytes, StandardCharsets.UTF_8), asTransientValue);
    }
  }
}
