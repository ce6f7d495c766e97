package dev.ocmirror.orchestrator.ocmirror.config;

import java.util.regex.Pattern;

/**
 * Image references as a registry accepts them (the grammar of the distribution project's {@code reference}
 * package): {@code [host[:port]/]path[:tag][@algorithm:hex]}. Anything else (spaces, {@code $(...)}, backticks,
 * {@code ;}, newlines) would only fail inside oc-mirror, three times, as an incident.
 */
final class ImageReferences {

  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[0-9a-fA-F:]+\\])"
      + "(?::[0-9]+)?";
  private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  static final String PATH = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final Pattern REFERENCE = Pattern.compile("(?:" + DOMAIN + "/)?" + PATH + "(?::" + TAG + ")?(?:@" + DIGEST + ")?");
  private static final Pattern PATH_ONLY = Pattern.compile(PATH);
  private static final Pattern TAG_ONLY = Pattern.compile(TAG);

  private ImageReferences() {
  }

  static boolean valid(String reference) {
    return reference != null && reference.length() <= 4096 && REFERENCE.matcher(reference).matches();
  }

  static boolean validPath(String path) {
    return path != null && PATH_ONLY.matcher(path).matches();
  }

  static boolean validTag(String tag) {
    return tag != null && TAG_ONLY.matcher(tag).matches();
  }
}
