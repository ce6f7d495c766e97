package dev.ocmirror.orchestrator.ocmirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The release of the oc-mirror binary on a host, as {@code oc-mirror --v2 version --output json} reports it: 4.16
 * prints no version line in its log at all, so this is the one source every release answers.
 *
 * @param text the {@code gitVersion}, e.g. {@code 4.18.0-202503121435.p0.g0b5d2e0.assembly.stream.el9-0b5d2e0}
 * @param major the OpenShift major release, null when the binary names none (an upstream build)
 * @param minor the OpenShift minor release, null likewise
 */
public record OcMirrorVersion(String text, Integer major, Integer minor) {

  private static final Pattern GIT_VERSION = Pattern.compile("\"gitVersion\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern RELEASE = Pattern.compile("^v?(\\d+)\\.(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads the command's output; null when it holds no version at all. */
  static OcMirrorVersion parse(String output) {
    String text = null;
    Integer major = null;
    Integer minor = null;
    try {
      JsonNode client = JSON.readTree(output).path("clientVersion");
      text = client.path("gitVersion").isTextual() ? client.path("gitVersion").asText() : null;
      major = number(client.path("major").asText());
      minor = number(client.path("minor").asText());
    } catch (IOException notJson) {
      // Some builds print extra lines around the JSON; the pattern below still finds the version.
    }
    if (text == null) {
      Matcher matcher = GIT_VERSION.matcher(output);
      if (!matcher.find()) {
        return null;
      }
      text = matcher.group(1);
    }
    if (major == null || minor == null) {
      Matcher release = RELEASE.matcher(text);
      if (release.find() && !text.startsWith("v0.")) {
        major = Integer.valueOf(release.group(1));
        minor = Integer.valueOf(release.group(2));
      }
    }
    return new OcMirrorVersion(text, major, minor);
  }

  private static Integer number(String text) {
    return text != null && text.matches("\\d+") ? Integer.valueOf(text) : null;
  }

  /** Whether this is the given OpenShift release or a later one; an unknown release is taken to be current. */
  public boolean atLeast(int wantedMajor, int wantedMinor) {
    if (major == null || minor == null) {
      return true;
    }
    return major > wantedMajor || major == wantedMajor && minor >= wantedMinor;
  }

  /** {@code 4.16} when the release is known, else the version text. */
  public String release() {
    return major == null || minor == null ? text : major + "." + minor;
  }
}
