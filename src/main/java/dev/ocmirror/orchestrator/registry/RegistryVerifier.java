package dev.ocmirror.orchestrator.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocmirror.orchestrator.integrity.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Asks a target registry, over the registry API, whether each image is there with the manifest digest the
 * ledger recorded. Speaks plain HTTP or TLS (with extra trusted CAs), basic authentication and the bearer-token
 * flow a {@code WWW-Authenticate: Bearer} challenge asks for.
 */
public final class RegistryVerifier {

  private static final String ACCEPT = String.join(", ",
      "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.docker.distribution.manifest.v2+json");
  private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where and as whom; the password comes from a file so that it never sits in configuration or variables. */
  public record Target(String url, String namespace, Path caFile, String username, Path passwordFile) {
  }

  /** One image's finding; {@code problem} is null when the registry has it with the expected digest. */
  /** @param problem null when the image is there with the expected digest */
  public record Finding(String image, String expectedDigest, String actualDigest, String problem, boolean registryReached) {

    Finding(String image, String expectedDigest, String actualDigest, String problem) {
      this(image, expectedDigest, actualDigest, problem, true);
    }
  }

  private final Target target;
  private final HttpClient http;
  private final String basic;
  private final Map<String, String> tokens = new LinkedHashMap<>();

  public RegistryVerifier(Target target) {
    this.target = target;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL);
    if (target.caFile() != null) {
      builder.sslContext(trusting(target.caFile()));
    }
    this.http = builder.build();
    this.basic = target.username() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
        (target.username() + ":" + password(target.passwordFile())).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param images cache reference ({@code repo:tag} or {@code repo:sha256-<hex>}) to the manifest digest recorded
   *     at ingest
   */
  public List<Finding> verify(Map<String, String> images) {
    List<Finding> findings = new ArrayList<>();
    images.forEach((image, expected) -> findings.add(check(image, expected)));
    return findings;
  }

  private Finding check(String image, String expected) {
    int colon = image.lastIndexOf(':');
    String path = image.substring(0, colon);
    String tag = image.substring(colon + 1);
    String reference = tag.startsWith("sha256-") ? "sha256:" + tag.substring("sha256-".length()) : tag;
    String repository = (target.namespace() == null || target.namespace().isBlank() ? "" : target.namespace() + "/") + path;
    String display = host() + "/" + repository + (reference.startsWith("sha256:") ? "@" : ":") + reference;
    try {
      HttpResponse<InputStream> response = send(repository, URI.create(base() + "/v2/" + repository + "/manifests/" + reference));
      try (InputStream body = response.body()) {
        if (response.statusCode() == 404) {
          return new Finding(display, expected, null, "not in the registry (404)");
        }
        if (response.statusCode() != 200) {
          return new Finding(display, expected, null, "the registry answered " + response.statusCode());
        }
        String actual = response.headers().firstValue("Docker-Content-Digest")
            .orElse("sha256:" + Sha256.hex(body.readAllBytes()));
        return new Finding(display, expected, actual, actual.equals(expected) ? null
            : "digest " + actual + ", the ledger recorded " + expected);
      }
    } catch (IOException e) {
      return new Finding(display, expected, null, "cannot reach the registry: " + (e.getMessage() == null
          ? e.getClass().getSimpleName() : e.getMessage()), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking " + display, e);
    }
  }

  private HttpResponse<InputStream> send(String repository, URI uri) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).header("Accept", ACCEPT).GET();
    String token = tokens.get(repository);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    } else if (basic != null) {
      request.header("Authorization", basic);
    }
    HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 401) {
      return response;
    }
    response.body().close();
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    if (challenge.regionMatches(true, 0, "Bearer ", 0, 7) && !tokens.containsKey(repository)) {
      tokens.put(repository, token(challenge));
      return send(repository, uri);
    }
    throw new IOException("the registry refused the credentials (401" + (target.username() == null ? ", none configured" : "")
        + ")");
  }

  private String token(String challenge) throws IOException, InterruptedException {
    Map<String, String> parameters = new LinkedHashMap<>();
    Matcher matcher = CHALLENGE_PARAMETER.matcher(challenge);
    while (matcher.find()) {
      parameters.put(matcher.group(1), matcher.group(2));
    }
    String realm = parameters.get("realm");
    if (realm == null) {
      throw new IOException("bearer challenge without realm: " + challenge);
    }
    StringBuilder query = new StringBuilder();
    for (String name : new String[] {"service", "scope"}) {
      if (parameters.containsKey(name)) {
        query.append(query.length() == 0 ? "?" : "&").append(name).append('=')
            .append(URLEncoder.encode(parameters.get(name), StandardCharsets.UTF_8));
      }
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realm + query)).timeout(Duration.ofMinutes(1)).GET();
    if (basic != null) {
      request.header("Authorization", basic);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("the token service " + realm + " answered " + response.statusCode());
    }
    JsonNode body = JSON.readTree(response.body());
    String token = body.path("token").asText(body.path("access_token").asText(""));
    if (token.isEmpty()) {
      throw new IOException("the token service " + realm + " returned no token");
    }
    return token;
  }

  private String base() {
    return target.url().replaceFirst("/+$", "");
  }

  private String host() {
    return base().replaceFirst("^https?://", "");
  }

  private static String password(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("A registry username needs a password file");
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read the registry password file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The JDK's trusted CAs plus the certificates of one PEM file. */
  private static SSLContext trusting(Path caFile) {
    try (InputStream pem = Files.newInputStream(caFile)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int index = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
        store.setCertificateEntry("configured-" + index++, certificate);
      }
      if (index == 0) {
        throw new IllegalArgumentException(caFile + " holds no PEM certificate");
      }
      TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      defaults.init((KeyStore) null);
      for (var manager : defaults.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          for (var certificate : x509.getAcceptedIssuers()) {
            store.setCertificateEntry("jdk-" + index++, certificate);
          }
        }
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("Cannot use " + caFile + " as trusted CA certificates: " + e.getMessage(), e);
    }
  }
}
