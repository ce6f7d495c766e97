package dev.ocmirror.orchestrator.access;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.stereotype.Component;

/**
 * A refusal is logged once, in one line, by {@link EngineGuard}. Camunda's REST layer would log it again as a
 * wrapped HTTP 500 with a stack trace (a refused form, "Cannot submit task form"); that second entry is dropped
 * while the request being answered carries a refusal. Every other failure is logged as Camunda logs it.
 */
@Component
public class RefusalLogging extends TurboFilter {

  private static final String CAMUNDA_REST_EXCEPTIONS = "org.camunda.bpm.engine.rest.exception";

  public RefusalLogging() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
        && context.getTurboFilterList().stream().noneMatch(RefusalLogging.class::isInstance)) {
      context.addTurboFilter(this);
      start();
    }
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (logger != null && logger.getName().startsWith(CAMUNDA_REST_EXCEPTIONS) && Refusal.answered() != null) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
