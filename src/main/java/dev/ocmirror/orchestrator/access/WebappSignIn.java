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
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One sign-in for people: whoever is signed in to Camunda's webapps is signed in to the service's pages and, for
 * reading, to its API (the audit pages), with their groups as they are now, not as they were at sign-in. A request
 * that brings its own credentials is left to them. Only the requests {@code applies} matches are taken from the
 * session: on the API, reading the audit; on the pages, which have their own CSRF protection, every request.
 */
public class WebappSignIn extends OncePerRequestFilter {

  private final IdentityService identityService;
  private final String engineName;
  private final RequestMatcher applies;

  public WebappSignIn(IdentityService identityService, String engineName, RequestMatcher applies) {
    this.identityService = identityService;
    this.engineName = engineName;
    this.applies = applies;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    HttpSession session = request.getSession(false);
    if (session != null && request.getHeader("Authorization") == null && applies.matches(request)
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
