package dev.ocmirror.orchestrator.simulator;

/**
 * An image name as oc-mirror's configuration holds it: {@code host[:port]/path:tag} or {@code host/path@sha256:hex}.
 * In the cache and the destination the registry host is dropped; digest-only references get the tag
 * {@code sha256-<hex>} in the cache and the digest's hex in the destination (contract sections 2 and 8).
 */
record ImageReference(String original, String registry, String path, String tag, String digest) {

  static ImageReference parse(String name) {
    int slash = name.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("image " + name + " names no registry");
    }
    String registry = name.substring(0, slash);
    String rest = name.substring(slash + 1);
    int at = rest.indexOf('@');
    if (at >= 0) {
      return new ImageReference(name, registry, rest.substring(0, at), null, rest.substring(at + 1));
    }
    int colon = rest.lastIndexOf(':');
    if (colon < 0) {
      return new ImageReference(name, registry, rest, "latest", null);
    }
    return new ImageReference(name, registry, rest.substring(0, colon), rest.substring(colon + 1), null);
  }

  String sourceReference() {
    return digest != null ? digest : tag;
  }

  String cacheTag() {
    return digest != null ? digest.replace(':', '-') : tag;
  }

  String destinationTag() {
    return digest != null ? digest.substring("sha256:".length()) : tag;
  }

  /** The namespace: the path without its last element, as IDMS/ITMS scopes use it. */
  String namespace() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }
}
