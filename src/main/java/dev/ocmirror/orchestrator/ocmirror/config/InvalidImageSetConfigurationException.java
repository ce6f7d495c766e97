package dev.ocmirror.orchestrator.ocmirror.config;

import java.util.List;

/** An ImageSetConfiguration oc-mirror would refuse; every problem found, each naming where it is. */
public class InvalidImageSetConfigurationException extends RuntimeException {

  private final List<String> problems;

  public InvalidImageSetConfigurationException(List<String> problems) {
    super("Invalid ImageSetConfiguration: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
