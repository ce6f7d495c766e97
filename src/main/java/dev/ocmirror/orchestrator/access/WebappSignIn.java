package dev.ocmirror.orchestrator.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One sign-in for people: whoever is signed in to Camunda's webapps is signed in to the service's pages and, for
 * reading, to its API (the audit pages), with their groups as they are now, not as they were at sign-in. A request
 * that brings its own credentials is left to them. Only reading requests are taken from the session unless
 * {@code writes} is set for a door with its own CSRF protection.
 */
public class WebappSignIn extends OncePerRequestFilter {

  private final IdentityService identityService;
  private final String engineName;
  private final boolean writes;

  public WebappSignIn(IdentityService identityService, String engineName, boolean writes) {
    this.identityService = identityService;
    this.engineName = engineName;
    this.writes = writes;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    boolean reading = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
    HttpSession session = request.getSession(false);
    if (session != null && request.getHeader("Authorization") == null && (reading || writes)
        && SecurityContextHolder.getContext().getAuthentication() == null) {
      Authentications signedIn = AuthenticationUtil.getAuthsFromSession(session);
      Authentication person = signedIn == null ? null : signedIn.getAuthenticationForProcessEngine(engineName);
      if (person != null && identityService.createUserQuery().userId(person.getIdentityId()).count() == 1) {
        SecurityContextHolder.getContext().setAuthentication(
            CamundaIdentityAuthenticationProvider.signedIn(identityService, person.getIdentityId()));
      }
    }
    chain.doFilter(request, response);
  }
}
