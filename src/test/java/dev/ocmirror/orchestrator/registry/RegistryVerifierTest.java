package dev.ocmirror.orchestrator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry check against a TLS registry whose certificate only a configured CA file vouches for, with the
 * bearer-token flow (challenge, token service with basic credentials, retry with the token).
 */
class RegistryVerifierTest {

  private static final String DIGEST = "sha256:" + "c".repeat(64);
  private static final String TOKEN = "t0k3n";

  @TempDir
  static Path dir;
  static HttpsServer server;
  static Path caFile;
  static Path passwordFile;
  static String url;

  @BeforeAll
  static void tlsRegistryWithTokenService() throws Exception {
    Path keystore = dir.resolve("registry.p12");
    keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-keypass", "changeit");
    caFile = dir.resolve("ca.pem");
    keytool("-exportcert", "-rfc", "-alias", "registry", "-keystore", keystore.toString(), "-storepass", "changeit",
        "-file", caFile.toString());
    passwordFile = Files.writeString(dir.resolve("password"), "s3cret\n");

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    url = "https://127.0.0.1:" + server.getAddress().getPort();
    server.createContext("/token", exchange -> {
      String expected = "Basic " + Base64.getEncoder().encodeToString("mirror:s3cret".getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 401, "{}");
      } else {
        respond(exchange, 200, "{\"token\":\"" + TOKEN + "\"}");
      }
    });
    server.createContext("/v2/", exchange -> {
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + url + "/token\",service=\"registry\","
            + "scope=\"repository:mirror/demo/alpha:pull\"");
        respond(exchange, 401, "{}");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/v2/mirror/demo/alpha/manifests/v1") || path.equals("/v2/mirror/demo/beta/manifests/v1")) {
        exchange.getResponseHeaders().add("Docker-Content-Digest", path.contains("alpha") ? DIGEST : "sha256:" + "d".repeat(64));
        respond(exchange, 200, "{}");
      } else {
        respond(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
      }
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static void keytool(String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0).as(output).isTrue();
  }

  @Test
  void findsEachImageWithItsDigestThroughTlsAndABearerToken() {
    List<RegistryVerifier.Finding> findings = new RegistryVerifier(new RegistryVerifier.Target(url, "mirror", caFile,
        "mirror", passwordFile)).verify(Map.of("demo/alpha:v1", DIGEST));
    assertThat(findings).singleElement().satisfies(finding -> {
      assertThat(finding.problem()).isNull();
      assertThat(finding.actualDigest()).isEqualTo(DIGEST);
      assertThat(finding.image()).isEqualTo("127.0.0.1:" + server.getAddress().getPort() + "/mirror/demo/alpha:v1");
    });
  }

  @Test
  void namesMissingImagesAndWrongDigests() {
    List<RegistryVerifier.Finding> findings = new RegistryVerifier(new RegistryVerifier.Target(url, "mirror", caFile,
        "mirror", passwordFile)).verify(new java.util.TreeMap<>(Map.of("demo/beta:v1", DIGEST,
        "demo/gamma:sha256-" + "e".repeat(64), "sha256:" + "e".repeat(64))));
    assertThat(findings).extracting(RegistryVerifier.Finding::problem).containsExactly(
        "digest sha256:" + "d".repeat(64) + ", the ledger recorded " + DIGEST, "not in the registry (404)");
    assertThat(findings.get(1).image()).endsWith("/mirror/demo/gamma@sha256:" + "e".repeat(64));
  }

  @Test
  void anUntrustedCertificateOrAWrongPasswordIsAProblemNotASuccess() throws IOException {
    assertThat(new RegistryVerifier(new RegistryVerifier.Target(url, "mirror", null, "mirror", passwordFile))
        .verify(Map.of("demo/alpha:v1", DIGEST)).get(0).problem()).startsWith("cannot reach the registry");
    Path wrong = Files.writeString(dir.resolve("wrong"), "guess");
    assertThat(new RegistryVerifier(new RegistryVerifier.Target(url, "mirror", caFile, "mirror", wrong))
        .verify(Map.of("demo/alpha:v1", DIGEST)).get(0).problem()).contains("token service").contains("401");
  }
}
