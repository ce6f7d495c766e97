package dev.ocmirror.orchestrator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenShift release content as oc-mirror collects it: each channel's releases from the update graph (the Cincinnati
 * API that {@code UPDATE_URL_OVERRIDE} points to), each release's payload (its {@code release-manifests/image-references}
 * names the component images), and the release signature ({@code OCP_SIGNATURE_URL}).
 */
final class Releases {

  static final String RELEASE_REPOSITORY = "openshift/release-images";
  static final String COMPONENT_REPOSITORY = "openshift/release";
  static final String IMAGE_REFERENCES = "release-manifests/image-references";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private Releases() {
  }

  /** Collection cannot go on; oc-mirror exits with the release bit. */
  static final class CollectionFailed extends Exception {
    CollectionFailed(String message) {
      super(message);
    }
  }

  /** One release to mirror: its version, the architecture's tag suffix and the payload image by digest. */
  record Release(String version, String arch, String payload) {

    String tag() {
      return version + "-" + arch;
    }

    ImageReference payloadImage() {
      return ImageReference.parse(payload);
    }
  }

  /** oc-mirror's name for an architecture in release tags. */
  static String archSuffix(String architecture) {
    return switch (architecture) {
      case "amd64" -> "x86_64";
      case "arm64" -> "aarch64";
      default -> architecture;
    };
  }

  /**
   * The releases each channel's filter selects: its head when no version bounds are given, else every release from
   * the minimum (the maximum when only that is given) to the maximum (the head when only a minimum is given); with
   * {@code full: true} every release in the bounds.
   */
  static List<Release> resolve(List<SimulatorConfiguration.Channel> channels, List<String> architectures, String updateUrl)
      throws CollectionFailed {
    Map<String, Release> releases = new LinkedHashMap<>();
    for (SimulatorConfiguration.Channel channel : channels) {
      for (String architecture : architectures) {
        TreeMap<String, String> graph = graph(updateUrl, channel.name(), architecture);
        String head = graph.lastKey();
        String max = channel.maxVersion() != null ? channel.maxVersion() : head;
        String min = channel.minVersion() != null ? channel.minVersion()
            : channel.maxVersion() != null && !channel.full() ? channel.maxVersion() : channel.full() ? null : head;
        List<String> wanted = graph.keySet().stream().filter(version -> Versions.within(version, min, max)).toList();
        if (wanted.isEmpty()) {
          throw new CollectionFailed("channel " + channel.name() + " has no release between " + min + " and " + max);
        }
        for (String version : wanted) {
          Release release = new Release(version, archSuffix(architecture), graph.get(version));
          releases.putIfAbsent(release.tag(), release);
        }
      }
    }
    return List.copyOf(releases.values());
  }

  /** Version to payload of one channel, ordered by version. */
  private static TreeMap<String, String> graph(String updateUrl, String channel, String architecture)
      throws CollectionFailed {
    if (updateUrl == null || updateUrl.isBlank()) {
      throw new CollectionFailed("cannot reach the update graph for channel " + channel + ": dial tcp: lookup "
          + "api.openshift.com: no such host (the simulator has no internet; set UPDATE_URL_OVERRIDE)");
    }
    URI uri = URI.create(updateUrl + (updateUrl.contains("?") ? "&" : "?") + "channel="
        + URLEncoder.encode(channel, StandardCharsets.UTF_8) + "&arch=" + URLEncoder.encode(architecture, StandardCharsets.UTF_8));
    JsonNode body;
    try {
      HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri).header("Accept", "application/json")
          .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new CollectionFailed("the update graph answered HTTP " + response.statusCode() + " for channel " + channel);
      }
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CollectionFailed("cannot read the update graph for channel " + channel + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CollectionFailed("interrupted while reading the update graph");
    }
    TreeMap<String, String> versions = new TreeMap<>(Versions.ORDER);
    for (JsonNode node : body.path("nodes")) {
      versions.put(node.path("version").asText(), node.path("payload").asText());
    }
    if (versions.isEmpty()) {
      throw new CollectionFailed("channel " + channel + " not found: the update graph lists no release in it");
    }
    return versions;
  }

  /** Component name to image reference, from the payload files of a release image. */
  static Map<String, String> components(Map<String, byte[]> payloadFiles) throws CollectionFailed {
    byte[] references = payloadFiles.get(IMAGE_REFERENCES);
    if (references == null) {
      throw new CollectionFailed("the release image holds no " + IMAGE_REFERENCES);
    }
    Map<String, String> components = new TreeMap<>();
    try {
      for (JsonNode tag : JSON.readTree(references).path("spec").path("tags")) {
        components.put(tag.path("name").asText(), tag.path("from").path("name").asText());
      }
    } catch (IOException e) {
      throw new CollectionFailed("the release's " + IMAGE_REFERENCES + " is not JSON: " + e.getMessage());
    }
    return components;
  }

  /** The release signature, as {@code <OCP_SIGNATURE_URL>sha256=<hex>/signature-1} serves it. */
  static byte[] signature(String signatureUrl, String digest) throws CollectionFailed {
    if (signatureUrl == null || signatureUrl.isBlank()) {
      throw new CollectionFailed("cannot fetch the signature of " + digest + ": the simulator has no internet; set "
          + "OCP_SIGNATURE_URL (or pass --ignore-release-signature)");
    }
    URI uri = URI.create(signatureUrl + (signatureUrl.endsWith("/") ? "" : "/") + digest.replace(':', '=') + "/signature-1");
    try {
      HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new CollectionFailed("no signature for " + digest + " at " + uri + " (HTTP " + response.statusCode() + ")");
      }
      return response.body();
    } catch (IOException e) {
      throw new CollectionFailed("cannot fetch the signature of " + digest + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CollectionFailed("interrupted while fetching a signature");
    }
  }

  /** What m2d writes to working-dir/release-filters, so that d2m knows the releases without the graph. */
  static byte[] filterFile(List<Release> releases) throws IOException {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(releases);
  }

  static List<Release> readFilterFile(byte[] content) throws IOException {
    List<Release> releases = new ArrayList<>();
    for (JsonNode node : JSON.readTree(content)) {
      releases.add(new Release(node.path("version").asText(), node.path("arch").asText(), node.path("payload").asText()));
    }
    return releases;
  }
}
