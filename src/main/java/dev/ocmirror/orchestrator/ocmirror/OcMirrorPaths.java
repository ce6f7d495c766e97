package dev.ocmirror.orchestrator.ocmirror;

import java.util.List;

/** Path rules of oc-mirror that are cheaper to check before a run than to learn from a failed one. */
public final class OcMirrorPaths {

  /**
   * oc-mirror refuses an m2d destination or a --from path that merely contains one of its internal directory
   * names (contract section 1, OCPBUGS-42862).
   */
  static final List<String> RESERVED_WORDS = List.of("cluster-resources", "dry-run", "graph-preparation", "helm",
      "hold-operator", "hold-release", "delete", "logs", "operator-catalogs", "release-images", "signatures");

  private OcMirrorPaths() {
  }

  /** Refuses paths oc-mirror would refuse, and paths that are not absolute or not plain. */
  public static String checkWorkspace(String role, String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException(role + " must be an absolute path, not '" + path + "'");
    }
    if (path.contains("/../") || path.endsWith("/..") || path.contains("\n")) {
      throw new IllegalArgumentException(role + " '" + path + "' must not contain '..' or line breaks");
    }
    for (String word : RESERVED_WORDS) {
      if (path.contains(word)) {
        throw new IllegalArgumentException(role + " '" + path + "' contains '" + word
            + "', an internal oc-mirror keyword; oc-mirror refuses such paths. Choose a path without it.");
      }
    }
    return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
  }
}
