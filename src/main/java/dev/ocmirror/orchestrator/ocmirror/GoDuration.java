package dev.ocmirror.orchestrator.ocmirror;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's time.Duration text ({@code 1h2m3.5s}, {@code 850ms}, {@code 12.3µs}): read as oc-mirror prints it, written as
 * its flags take it.
 */
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

  /** Whole hours, minutes and seconds and the milliseconds left, e.g. {@code 1h30m0s}, {@code 2m0.5s}, {@code 0s}. */
  static String format(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("A duration for oc-mirror cannot be negative: " + duration);
    }
    long millis = duration.toMillis();
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long seconds = millis / 1000 % 60;
    long rest = millis % 1000;
    String secondsText = rest == 0 ? seconds + "s" : String.format(java.util.Locale.ROOT, "%d.%03ds", seconds, rest)
        .replaceAll("0+s$", "s");
    return (hours > 0 ? hours + "h" : "") + (hours > 0 || minutes > 0 ? minutes + "m" : "") + secondsText;
  }
}
