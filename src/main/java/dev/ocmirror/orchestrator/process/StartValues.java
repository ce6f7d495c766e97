package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import dev.ocmirror.orchestrator.access.Refusal;
import dev.ocmirror.orchestrator.control.ControlRecords;
import java.time.Instant;
import org.camunda.bpm.engine.variable.type.ValueType;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.context.Context;
import org.springframework.stereotype.Component;

/**
 * Refuses a lifecycle at its start when what it was started with cannot work: no configuration text, or an
 * enclave that is not configured. The configuration's content is checked by the process itself, where a
 * person can correct it.
 */
@Component("startValues")
public class StartValues implements ExecutionListener {

  private static final int MAX_CONFIG = 1 << 20;
  private static final int MAX_PATH = 1024;
  private static final Pattern MEDIA_PATH_FORM = Pattern.compile("/[A-Za-z0-9._/-]*");

  private final LifecycleProperties properties;
  private final ControlRecords records;

  public StartValues(LifecycleProperties properties, ControlRecords records) {
    this.properties = properties;
    this.records = records;
  }

  @Override
  public void notify(DelegateExecution execution) {
    // The requester is whoever is signed in, whatever the start request claims: four-eyes depends on it.
    String user = Context.getCommandContext().getAuthenticatedUserId();
    if (user != null) {
      execution.setVariable(REQUESTED_BY, user);
    }
    List<String> problems = new ArrayList<>();
    String process = execution.getProcessDefinitionId().split(":")[0];
    org.camunda.bpm.engine.variable.VariableMap typed = execution.getVariablesTyped(false);
    for (String name : typed.keySet()) {
      ValueType type = typed.getValueTyped(name).getType();
      if (type == ValueType.OBJECT || type == ValueType.FILE || type == ValueType.BYTES) {
        problems.add(name + ": start values are text, numbers or yes/no, not " + type.getName());
      }
    }
    if (properties.receivingStation() && !Processes.STATION.contains(process)) {
      problems.add("this is a receiving station; it takes media in (" + Processes.MEDIA_RECEIPT + ") and rolls back ("
          + Processes.ROLLBACK + "), and the connected side builds and delivers generations");
    } else if (!properties.receivingStation() && process.equals(Processes.MEDIA_RECEIPT)) {
      problems.add("this is the connected side; media are taken in by the receiving station of their enclave");
    } else if (process.equals(Processes.MEDIA_RECEIPT)) {
      mediaPath(execution.getVariable(MEDIA_PATH)).ifPresent(problems::add);
      OneMirrorRun.otherStationImportThan(execution).ifPresent(problems::add);
      execution.setVariable(ENCLAVE, properties.station().enclave());
    } else if (process.equals(Processes.ROLLBACK)) {
      if (properties.receivingStation()) {
        OneMirrorRun.otherStationImportThan(execution).ifPresent(problems::add);
      }
      Object enclave = execution.getVariable(ENCLAVE);
      if (!(enclave instanceof String name) || properties.findEnclave(name).isEmpty()) {
        problems.add("enclave: one of " + properties.enclaveNames() + ", not " + describe(enclave));
      }
    } else {
      OneMirrorRun.otherThan(execution).ifPresent(problems::add);
      Object config = execution.getVariable(IMAGESET_CONFIG);
      if (!(config instanceof String text) || text.isBlank()) {
        problems.add("imagesetConfig: the ImageSetConfiguration as YAML text is required");
      } else if (text.length() > MAX_CONFIG) {
        problems.add("imagesetConfig: at most " + MAX_CONFIG + " characters");
      }
      Object enclaves = execution.getVariable(ENCLAVES);
      if (enclaves != null && !(enclaves instanceof String)) {
        problems.add("enclaves: comma-separated enclave names as text");
      } else if (enclaves != null) {
        for (String name : ((String) enclaves).split(",")) {
          if (!name.isBlank() && properties.findEnclave(name.trim()).isEmpty()) {
            problems.add("enclaves: '" + name.trim() + "' is not configured; known: " + properties.enclaveNames());
          }
        }
      }
      if (properties.enclaves().isEmpty()) {
        problems.add("no enclave is configured (orchestrator.enclaves)");
      }
    }
    if (properties.mirror().simulated()) {
      execution.setVariable(OC_MIRROR_SIMULATED, true);
    }
    execution.setVariable(LIFECYCLE_ID, execution.getProcessInstanceId());
    if (!problems.isEmpty()) {
      throw new Refusal(Refusal.Kind.NOT_ACCEPTED, "Cannot start " + process + ": " + String.join("; ", problems) + ".",
          null, null, null);
    }
    // The four-eyes rule reads this record, never the variable above.
    records.recordRequest(new ControlRecords.Request(execution.getProcessInstanceId(), process, user, Instant.now()));
  }

  /** Where the media are mounted: an absolute path of plain characters, as a shell-free command line takes it. */
  static Optional<String> mediaPath(Object value) {
    if (!(value instanceof String path) || path.isBlank()) {
      return Optional.of("mediaPath: where the media are mounted on the import host is required");
    }
    if (path.length() > MAX_PATH || !MEDIA_PATH_FORM.matcher(path).matches() || path.contains("/../")
        || path.endsWith("/..")) {
      return Optional.of("mediaPath: an absolute path of letters, digits and . _ - / (at most " + MAX_PATH
          + " characters, no ..), not " + describe(path.length() > 80 ? path.substring(0, 80) + "..." : path));
    }
    return Optional.empty();
  }

  private static String describe(Object value) {
    return value == null ? "nothing" : "'" + value + "'";
  }
}
