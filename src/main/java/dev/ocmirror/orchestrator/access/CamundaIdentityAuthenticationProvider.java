package dev.ocmirror.orchestrator.access;

import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Checks API credentials against Camunda's identity service, so the REST API, the service's own API and the
 * webapps share one user base and one set of groups. Groups become {@code GROUP_<id>} authorities.
 */
@Component
public class CamundaIdentityAuthenticationProvider implements AuthenticationProvider {

  static final String GROUP_PREFIX = "GROUP_";

  private final IdentityService identityService;

  public CamundaIdentityAuthenticationProvider(IdentityService identityService) {
    this.identityService = identityService;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String userId = authentication.getName();
    Object credentials = authentication.getCredentials();
    if (userId == null || userId.isBlank() || credentials == null
        || !identityService.checkPassword(userId, credentials.toString())) {
      throw new BadCredentialsException("Bad credentials");
    }
    return signedIn(identityService, userId);
  }

  /** The Camunda groups of someone Spring Security signed in: their {@code GROUP_} authorities, without the prefix. */
  public static List<String> groupsOf(Authentication authentication) {
    return authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
        .filter(authority -> authority.startsWith(GROUP_PREFIX))
        .map(authority -> authority.substring(GROUP_PREFIX.length()))
        .toList();
  }

  /** The user as Spring Security knows them, with their groups as they are now. */
  static Authentication signedIn(IdentityService identityService, String userId) {
    List<GrantedAuthority> authorities = identityService.createGroupQuery().groupMember(userId).list().stream()
        .map(group -> (GrantedAuthority) new SimpleGrantedAuthority(GROUP_PREFIX + group.getId()))
        .toList();
    return UsernamePasswordAuthenticationToken.authenticated(userId, null, authorities);
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
