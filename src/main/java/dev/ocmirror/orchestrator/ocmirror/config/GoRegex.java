package dev.ocmirror.orchestrator.ocmirror.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * oc-mirror compiles blockedImages with Go's regexp (RE2), which lacks what needs backtracking: a pattern Java
 * accepts may be refused there, and then every run fails. These are the constructs Java has and RE2 has not.
 */
final class GoRegex {

  private static final Pattern UNSUPPORTED = Pattern.compile(
      "\\(\\?(?:=|!|<=|<!)"      // look-ahead and look-behind
      + "|\\(\\?>"              // atomic groups
      + "|(?<![\\\\(])(?:[*+?}])\\+" // possessive quantifiers
      + "|\\\\[1-9]|\\\\k<"     // back-references
      + "|\\\\[GZRXhHvV]");      // anchors and classes RE2 does not know

  private GoRegex() {
  }

  /** What Go's regexp would refuse in the pattern; null when it takes it. */
  static String unsupported(String pattern) {
    String unescaped = pattern.replace("\\\\", "  ");
    Matcher matcher = UNSUPPORTED.matcher(unescaped);
    return matcher.find() ? "'" + pattern.substring(matcher.start(), Math.min(pattern.length(), matcher.end() + 1)).strip()
        + "' is not supported by Go's regular expressions (RE2), which oc-mirror uses" : null;
  }
}
