package dev.ocmirror.orchestrator.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Camunda's REST resources wrap many engine exceptions: a refused task form becomes "500 Cannot submit task
 * form", a refused start "500 Cannot instantiate process definition", a refused comment "400 Not enough
 * parameters submitted". When the service refused something during the request, the answer of either engine API
 * ({@code /engine-rest}, and {@code /camunda/api/engine} under Tasklist) is the refusal's own: 403 or 400, and
 * its sentence.
 */
public class RefusalResponses extends OncePerRequestFilter {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // The request starts and ends with no refusal on its thread (WebSecurityConfiguration's filter around every request).
    ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
    try {
      chain.doFilter(request, answer);
      Refusal refusal = Refusal.answered();
      if (refusal != null && answer.getStatus() >= 400) {
        boolean notAllowed = refusal.kind() == Refusal.Kind.NOT_ALLOWED;
        answer.resetBuffer();
        answer.setStatus(notAllowed ? HttpServletResponse.SC_FORBIDDEN : HttpServletResponse.SC_BAD_REQUEST);
        answer.setContentType("application/json");
        answer.setCharacterEncoding(StandardCharsets.UTF_8.name());
        answer.getOutputStream().write(JSON.writeValueAsBytes(Map.of(
            "type", notAllowed ? "AuthorizationException" : "BadUserRequestException", "message", refusal.getMessage())));
      }
    } finally {
      answer.copyBodyToResponse();
    }
  }
}
