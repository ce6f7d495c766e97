package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.ENCLAVES;

import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The enclaves a lifecycle delivers to, for the models' multi-instance ({@code ${enclaveSelection.of(execution)}}):
 * those named at start (comma-separated), else every configured one.
 */
@Component("enclaveSelection")
public class EnclaveSelection {

  private final LifecycleProperties properties;

  EnclaveSelection(LifecycleProperties properties) {
    this.properties = properties;
  }

  /** Whether the enclave is reached only by media, so that its delivery waits for the station's site report. */
  public boolean byMedia(String enclave) {
    return properties.enclave(enclave).byMedia();
  }

  public List<String> of(DelegateExecution execution) {
    Object requested = execution.getVariable(ENCLAVES);
    if (requested == null || requested.toString().isBlank()) {
      return properties.enclaveNames();
    }
    List<String> names = new ArrayList<>();
    for (String name : requested.toString().split(",")) {
      String trimmed = name.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      properties.enclave(trimmed);
      if (!names.contains(trimmed)) {
        names.add(trimmed);
      }
    }
    return names;
  }
}
