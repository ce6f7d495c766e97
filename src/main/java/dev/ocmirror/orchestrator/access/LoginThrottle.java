package dev.ocmirror.orchestrator.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits failed sign-ins per client address, on the APIs (HTTP Basic) and the webapps' login alike: after
 * {@code maxFailures} within {@code window}, that address is answered 429 until its oldest failure ages out.
 * Camunda's own per-account delay stays, but no longer locks an account for good (EngineHardening), so a
 * stranger can slow an account down, never lock a change manager out.
 */
public class LoginThrottle extends OncePerRequestFilter {

  private static final int MAX_CLIENTS = 10_000;

  private final int maxFailures;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
      return size() > MAX_CLIENTS;
    }
  };

  public LoginThrottle(int maxFailures, Duration window, Clock clock) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    boolean basic = request.getHeader("Authorization") != null
        && (path.startsWith("/engine-rest/") || path.startsWith("/api/") || path.startsWith("/actuator/"));
    boolean webappLogin = "POST".equals(request.getMethod()) && path.startsWith("/camunda/api/admin/auth/user/")
        && path.contains("/login/");
    return !basic && !webappLogin;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String client = request.getRemoteAddr();
    if (blocked(client)) {
      response.setStatus(429);
      response.setHeader("Retry-After", String.valueOf(window.toSeconds()));
      response.setContentType("application/json");
      response.getWriter().write("{\"type\":\"TooManyFailedSignIns\",\"message\":\"Too many failed sign-ins from your "
          + "address; try again in a few minutes.\"}");
      return;
    }
    chain.doFilter(request, response);
    if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
      recordFailure(client);
    }
  }

  private synchronized boolean blocked(String client) {
    Deque<Instant> recent = failures.get(client);
    if (recent == null) {
      return false;
    }
    Instant horizon = clock.instant().minus(window);
    while (!recent.isEmpty() && recent.peekFirst().isBefore(horizon)) {
      recent.pollFirst();
    }
    if (recent.isEmpty()) {
      failures.remove(client);
      return false;
    }
    return recent.size() >= maxFailures;
  }

  private synchronized void recordFailure(String client) {
    failures.computeIfAbsent(client, key -> new ArrayDeque<>()).addLast(clock.instant());
  }
}
