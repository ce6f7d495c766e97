package dev.ocmirror.orchestrator.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * The DEMO banner on start forms too. A task's form shows it from the lifecycle's {@code ocMirrorSimulated}
 * variable, but a start form has no variables yet; where oc-mirror is simulated, the start forms Tasklist loads get
 * the banner as their first line.
 */
@Configuration
@ConditionalOnProperty(name = "orchestrator.mirror.simulated", havingValue = "true")
public class SimulatedStartForms {

  static final String BANNER = "**DEMO: oc-mirror is SIMULATED here.** Demo images only; no real release or operator"
      + " content is mirrored, and cluster changes are only recorded.";

  @Bean
  FilterRegistrationBean<OncePerRequestFilter> simulatedStartFormBanner() {
    FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new Banner());
    registration.addUrlPatterns("/camunda/api/engine/*");
    return registration;
  }

  static final class Banner extends OncePerRequestFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
      return !"GET".equals(request.getMethod()) || !request.getRequestURI().endsWith("/deployed-start-form");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
      chain.doFilter(request, answer);
      byte[] body = answer.getContentAsByteArray();
      String type = answer.getContentType();
      try {
        if (answer.getStatus() == HttpServletResponse.SC_OK && type != null && type.contains("json")
            && JSON.readTree(body) instanceof ObjectNode form && form.get("components") instanceof ArrayNode components) {
          ObjectNode banner = JSON.createObjectNode().put("type", "text").put("id", "Field_simulated_start")
              .put("text", BANNER);
          components.insert(0, banner);
          body = JSON.writeValueAsBytes(form);
        }
      } catch (IOException notAForm) {
        // Not a form as expected: answer as the engine did.
        answer.copyBodyToResponse();
        return;
      }
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }
}
