package dev.ocmirror.orchestrator.ocmirror;

import jakarta.validation.constraints.Pattern;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables oc-mirror reads that a site may need to set on a host, each typed: where the update
 * graph and the release signatures are (a disconnected mirror host has its own), and the proxies between the host
 * and its registries. A null leaves the variable unset.
 *
 * @param updateUrl {@code UPDATE_URL_OVERRIDE}: the update graph (Cincinnati) to resolve release channels against
 * @param signatureUrl {@code OCP_SIGNATURE_URL}: where release signatures are fetched
 * @param httpProxy {@code HTTP_PROXY}
 * @param httpsProxy {@code HTTPS_PROXY}
 * @param noProxy {@code NO_PROXY}: hosts, domains and networks reached without the proxy
 */
public record OcMirrorEnvironment(
    @Pattern(regexp = URL, message = URL_MESSAGE) String updateUrl,
    @Pattern(regexp = URL, message = URL_MESSAGE) String signatureUrl,
    @Pattern(regexp = URL, message = URL_MESSAGE) String httpProxy,
    @Pattern(regexp = URL, message = URL_MESSAGE) String httpsProxy,
    @Pattern(regexp = "[A-Za-z0-9.,:*/\\[\\]-]*", message = "must be a comma-separated list of hosts, domains and networks")
    String noProxy) {

  static final String URL = "https?://[\\p{Graph}]+";
  static final String URL_MESSAGE = "must be an http:// or https:// URL";

  public static final OcMirrorEnvironment NONE = new OcMirrorEnvironment(null, null, null, null, null);

  /** The variables to set, by name. */
  public Map<String, String> variables() {
    Map<String, String> variables = new LinkedHashMap<>();
    put(variables, "UPDATE_URL_OVERRIDE", updateUrl);
    put(variables, "OCP_SIGNATURE_URL", signatureUrl);
    put(variables, "HTTP_PROXY", httpProxy);
    put(variables, "HTTPS_PROXY", httpsProxy);
    put(variables, "NO_PROXY", noProxy);
    return variables;
  }

  private static void put(Map<String, String> variables, String name, String value) {
    if (value != null) {
      variables.put(name, value);
    }
  }
}
