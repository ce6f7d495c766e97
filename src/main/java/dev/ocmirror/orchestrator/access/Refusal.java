package dev.ocmirror.orchestrator.access;

import org.apache.commons.lang3.exception.ExceptionUtils;

/**
 * A request the service refuses on purpose: a person may not do this ({@link Kind#NOT_ALLOWED}, answered 403), or
 * what they submitted cannot be accepted ({@link Kind#NOT_ACCEPTED}, answered 400). The message is one plain
 * sentence for that person; it never reveals a value they were expected to know. Thrown from listeners deep
 * inside the engine, it is found again at the engine's edge by {@link EngineGuard}, which answers with it and
 * records it for the audit.
 */
public class Refusal extends RuntimeException {

  public enum Kind { NOT_ALLOWED, NOT_ACCEPTED }

  private final Kind kind;
  private final String processInstanceId;
  private final String taskId;
  private final String activity;

  public Refusal(Kind kind, String message, String processInstanceId, String taskId, String activity) {
    super(message);
    this.kind = kind;
    this.processInstanceId = processInstanceId;
    this.taskId = taskId;
    this.activity = activity;
  }

  public static Refusal notAllowed(String message) {
    return new Refusal(Kind.NOT_ALLOWED, message, null, null, null);
  }

  public Kind kind() {
    return kind;
  }

  public String processInstanceId() {
    return processInstanceId;
  }

  public String taskId() {
    return taskId;
  }

  public String activity() {
    return activity;
  }

  private static final ThreadLocal<Refusal> ANSWERED = new ThreadLocal<>();

  /** The refusal the engine's edge answered on this thread (a request) since {@link #forget()}, if any. */
  static Refusal answered() {
    return ANSWERED.get();
  }

  static void forget() {
    ANSWERED.remove();
  }

  /** How the engine's edge answers a refusal: the engine's own types, so every REST door maps them to 403 and 400. */
  public RuntimeException answer() {
    ANSWERED.set(this);
    return kind == Kind.NOT_ALLOWED ? new NotAllowed(getMessage()) : new NotAccepted(getMessage());
  }

  public static final class NotAllowed extends org.camunda.bpm.engine.AuthorizationException {
    NotAllowed(String message) {
      super(message);
    }
  }

  public static final class NotAccepted extends org.camunda.bpm.engine.BadUserRequestException {
    NotAccepted(String message) {
      super(message);
    }
  }

  /** The refusal somewhere in the causes of an engine exception, if there is one. */
  public static Refusal in(Throwable error) {
    return ExceptionUtils.throwableOfType(error, Refusal.class);
  }
}
