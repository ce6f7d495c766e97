package dev.ocmirror.orchestrator.lifecycle;

import java.util.Map;

/** Typed reads of the process variables a step needs, with a clear message when one is missing. */
final class ProcessValues {

  private ProcessValues() {
  }

  static String text(Map<String, Object> variables, String name) {
    Object value = variables.get(name);
    if (!(value instanceof String text) || text.isBlank()) {
      throw new IllegalStateException("Process variable '" + name + "' is missing or not text");
    }
    return text;
  }

  static int number(Map<String, Object> variables, String name) {
    Object value = variables.get(name);
    if (value instanceof Number number) {
      return number.intValue();
    }
    if (value instanceof String text && text.matches("[0-9]+")) {
      return Integer.parseInt(text);
    }
    throw new IllegalStateException("Process variable '" + name + "' is missing or not a number");
  }
}
