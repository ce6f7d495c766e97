package dev.ocmirror.orchestrator.ocmirror;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads Go's time.Duration text ({@code 1h2m3.5s}, {@code 850ms}, {@code 12.3µs}) as oc-mirror prints it. */
final class GoDuration {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|μs|ns|h|m|s)");

  private GoDuration() {
  }

  static Duration parse(String text) {
    Matcher matcher = PART.matcher(text);
    double nanos = 0;
    int end = 0;
    while (matcher.find()) {
      if (matcher.start() != end) {
        return null;
      }
      end = matcher.end();
      double value = Double.parseDouble(matcher.group(1));
      nanos += value * switch (matcher.group(2)) {
        case "h" -> 3_600e9;
        case "m" -> 60e9;
        case "s" -> 1e9;
        case "ms" -> 1e6;
        case "ns" -> 1;
        default -> 1e3;
      };
    }
    return end == text.length() && end > 0 ? Duration.ofNanos((long) nanos) : null;
  }
}
