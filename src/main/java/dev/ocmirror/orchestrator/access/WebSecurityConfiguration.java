package dev.ocmirror.orchestrator.access;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.withDefaults;

import java.time.Clock;
import java.time.Duration;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * Three doors. The APIs ({@code /engine-rest}, {@code /api}) take HTTP Basic credentials on every request and
 * keep no session (reading the audit also works with the webapps' sign-in). Camunda's webapps keep their own
 * login, session and CSRF protection, and the service's pages ({@code /lifecycles}) use that login. The health
 * endpoint and the sign-in page are open; every other path is closed.
 */
@Configuration
public class WebSecurityConfiguration {

  /** The groups that may watch lifecycles: whoever may read process instances. */
  private static final String[] WATCHERS = {"GROUP_" + AccessGroups.OPERATORS, "GROUP_" + AccessGroups.CHANGE_MANAGERS,
      "GROUP_" + AccessGroups.COMPLIANCE, "GROUP_" + AccessGroups.ADMINS};

  @Bean
  @Order(1)
  SecurityFilterChain apiSecurity(HttpSecurity http, CamundaIdentityAuthenticationProvider identityProvider,
      IdentityService identityService, ProcessEngine engine) throws Exception {
    // PathPatternRequestMatcher, not a String matcher: a String becomes an MVC matcher and misses Jersey's servlet.
    http.securityMatcher(new OrRequestMatcher(withDefaults().matcher("/engine-rest/**"), withDefaults().matcher("/api/**"),
            withDefaults().matcher("/actuator/prometheus")))
        .authenticationProvider(identityProvider)
        .authorizeHttpRequests(requests -> requests
            // The audit is for compliance and administrators only, and read-only for them too.
            .requestMatchers(withDefaults().matcher(HttpMethod.GET, "/api/audit/**"))
            .hasAnyAuthority("GROUP_" + AccessGroups.COMPLIANCE, "GROUP_" + AccessGroups.ADMINS)
            .requestMatchers(withDefaults().matcher("/api/audit/**")).denyAll()
            // Site reports carried back from media enclaves are recorded by operators.
            .requestMatchers(withDefaults().matcher(HttpMethod.POST, "/api/enclaves/*/site-reports"))
            .hasAnyAuthority("GROUP_" + AccessGroups.OPERATORS, "GROUP_" + AccessGroups.ADMINS)
            // A receiving station's report on demand.
            .requestMatchers(withDefaults().matcher(HttpMethod.POST, "/api/station/site-reports"))
            .hasAnyAuthority("GROUP_" + AccessGroups.OPERATORS, "GROUP_" + AccessGroups.ADMINS)
            .requestMatchers(withDefaults().matcher(HttpMethod.GET, "/actuator/prometheus"))
            .hasAuthority("GROUP_" + AccessGroups.ADMINS)
            .anyRequest().authenticated())
        .httpBasic(Customizer.withDefaults())
        // Reading the audit with the webapps' sign-in (its pages, linked from a lifecycle's page); all else takes credentials.
        .addFilterBefore(new WebappSignIn(identityService, engine.getName(),
            withDefaults().matcher(HttpMethod.GET, "/api/audit/**")), BasicAuthenticationFilter.class)
        .csrf(csrf -> csrf.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
    return http.build();
  }

  /**
   * The service's own pages for people, behind the webapps' sign-in; starting a lifecycle from them is a form
   * with Spring's CSRF token. Not signed in: the sign-in page; not allowed: the 403 page.
   */
  @Bean
  @Order(2)
  SecurityFilterChain pageSecurity(HttpSecurity http, IdentityService identityService, ProcessEngine engine)
      throws Exception {
    http.securityMatcher(new OrRequestMatcher(withDefaults().matcher("/lifecycles"), withDefaults().matcher("/lifecycles/**")))
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(withDefaults().matcher("/lifecycles/new-update"))
            .hasAnyAuthority("GROUP_" + AccessGroups.OPERATORS, "GROUP_" + AccessGroups.ADMINS)
            .requestMatchers(withDefaults().matcher(HttpMethod.GET, "/lifecycles/**"), withDefaults().matcher(HttpMethod.GET, "/lifecycles"))
            .hasAnyAuthority(WATCHERS)
            .anyRequest().denyAll())
        .addFilterBefore(new WebappSignIn(identityService, engine.getName(), AnyRequestMatcher.INSTANCE),
            AnonymousAuthenticationFilter.class)
        .exceptionHandling(handling -> handling.authenticationEntryPoint((request, response, refused) ->
            response.sendRedirect(request.getContextPath() + "/sign-in?next=" + java.net.URLEncoder.encode(
                request.getRequestURI(), java.nio.charset.StandardCharsets.UTF_8))));
    return http.build();
  }

  @Bean
  @Order(3)
  SecurityFilterChain webappAndHealthSecurity(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(requests -> requests
            .requestMatchers(withDefaults().matcher("/actuator/health"), withDefaults().matcher("/actuator/health/**"),
                withDefaults().matcher("/camunda/**"), withDefaults().matcher("/"), withDefaults().matcher("/error"),
                withDefaults().matcher("/favicon.ico"), withDefaults().matcher(HttpMethod.GET, "/sign-in"))
            .permitAll()
            .anyRequest().denyAll())
        // The webapps carry their own CSRF filter; a second one would refuse their login.
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  /** Before Spring Security's chain (order -100), so that a blocked client is answered before its password is checked. */
  @Bean
  FilterRegistrationBean<LoginThrottle> loginThrottle(
      @Value("${orchestrator.access.login-throttle.max-failures:10}") int maxFailures,
      @Value("${orchestrator.access.login-throttle.window:PT5M}") Duration window) {
    FilterRegistrationBean<LoginThrottle> registration =
        new FilterRegistrationBean<>(new LoginThrottle(maxFailures, window, Clock.systemUTC()));
    registration.addUrlPatterns("/*");
    registration.setOrder(-110);
    return registration;
  }

  /** A refusal belongs to the request that met it: a pooled thread starts every request with none. */
  @Bean
  FilterRegistrationBean<jakarta.servlet.Filter> refusalsEndWithTheirRequest() {
    FilterRegistrationBean<jakarta.servlet.Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
      Refusal.forget();
      try {
        chain.doFilter(request, response);
      } finally {
        Refusal.forget();
      }
    });
    registration.addUrlPatterns("/*");
    registration.setOrder(-120);
    return registration;
  }

  @Bean
  FilterRegistrationBean<RefusalResponses> refusalResponses() {
    FilterRegistrationBean<RefusalResponses> registration = new FilterRegistrationBean<>(new RefusalResponses());
    registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
    registration.setOrder(-50);
    return registration;
  }

  @Bean
  FilterRegistrationBean<EngineAuthenticationFilter> engineAuthenticationFilter(IdentityService identityService) {
    FilterRegistrationBean<EngineAuthenticationFilter> registration =
        new FilterRegistrationBean<>(new EngineAuthenticationFilter(identityService));
    registration.addUrlPatterns("/engine-rest/*", "/api/*");
    // After Spring Security's chain (order -100), which has authenticated the request by then.
    registration.setOrder(0);
    return registration;
  }
}
