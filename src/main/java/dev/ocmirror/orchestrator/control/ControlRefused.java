package dev.ocmirror.orchestrator.control;

/**
 * A step refused to have its effect because the record it must rest on is missing: no approval by someone
 * other than the requester, no verified receipt, nothing imported. Not a fault to retry into success: whoever
 * moved the lifecycle past its controls gets an incident that says what is missing, and nothing happened.
 */
public class ControlRefused extends RuntimeException {

  public ControlRefused(String message) {
    super(message);
  }
}
