package dev.ocmirror.orchestrator.simulator;

import java.util.Comparator;

/** Semantic versions as release channels and operator bundles use them ({@code 4.18.3}, {@code 1.2.0-rc.1}). */
final class Versions {

  static final Comparator<String> ORDER = Versions::compare;

  private Versions() {
  }

  static boolean valid(String version) {
    return version != null && version.matches("v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
  }

  static int compare(String left, String right) {
    String[] a = core(left).split("\\.");
    String[] b = core(right).split("\\.");
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      long x = i < a.length ? Long.parseLong(a[i]) : 0;
      long y = i < b.length ? Long.parseLong(b[i]) : 0;
      if (x != y) {
        return Long.compare(x, y);
      }
    }
    String preLeft = prerelease(left);
    String preRight = prerelease(right);
    if (preLeft.isEmpty() || preRight.isEmpty()) {
      // A release sorts after its pre-releases.
      return Boolean.compare(preLeft.isEmpty(), preRight.isEmpty());
    }
    return preLeft.compareTo(preRight);
  }

  /** Whether {@code version} lies in [min, max], either bound optional. */
  static boolean within(String version, String min, String max) {
    return (min == null || compare(version, min) >= 0) && (max == null || compare(version, max) <= 0);
  }

  private static String core(String version) {
    String plain = version.startsWith("v") ? version.substring(1) : version;
    int cut = plain.indexOf('-');
    int build = plain.indexOf('+');
    int end = cut >= 0 ? cut : build >= 0 ? build : plain.length();
    return plain.substring(0, end);
  }

  private static String prerelease(String version) {
    int plus = version.indexOf('+');
    String withoutBuild = plus >= 0 ? version.substring(0, plus) : version;
    int dash = withoutBuild.indexOf('-');
    return dash >= 0 ? withoutBuild.substring(dash + 1) : "";
  }
}
