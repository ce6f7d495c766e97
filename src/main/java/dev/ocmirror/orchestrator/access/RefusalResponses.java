package dev.ocmirror.orchestrator.access;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Some of Camunda's REST resources wrap every engine exception: a refused start becomes "500 Cannot instantiate
 * process definition", a refused comment "400 Not enough parameters submitted". Where the cause is one of the
 * service's refusals, {@code /engine-rest} answers with the refusal's own status and sentence instead.
 */
@Configuration
public class RefusalResponses {

  @Bean
  ResourceConfigCustomizer refusalsAnsweredAsThemselves() {
    return config -> config.register(new Mapper(), 1);
  }

  static final class Mapper implements ExceptionMapper<RestException> {

    @Override
    public Response toResponse(RestException exception) {
      for (Throwable cause = exception; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
        if (cause instanceof Refusal.NotAllowed || cause instanceof Refusal.NotAccepted) {
          boolean notAccepted = cause instanceof Refusal.NotAccepted;
          return Response.status(notAccepted ? Response.Status.BAD_REQUEST : Response.Status.FORBIDDEN)
              .type(MediaType.APPLICATION_JSON_TYPE)
              .entity(Map.of("type", notAccepted ? "BadUserRequestException" : "AuthorizationException",
                  "message", cause.getMessage()))
              .build();
        }
      }
      return ExceptionHandlerHelper.getInstance().getResponse(exception);
    }
  }
}
