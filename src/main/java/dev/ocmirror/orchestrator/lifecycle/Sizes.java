package dev.ocmirror.orchestrator.lifecycle;

import java.util.Locale;

/** Sizes as a person reads them, with the exact count beside for whoever checks it against a file listing. */
public final class Sizes {

  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

  private Sizes() {
  }

  /** "212.0 KiB (216,576 bytes)", "1.5 GiB (1,610,612,736 bytes)", "512 bytes". */
  public static String words(long bytes) {
    String exact = String.format(Locale.ROOT, "%,d bytes", bytes);
    if (bytes < 1024) {
      return exact;
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s (%s)", value, UNITS[unit], exact);
  }
}
