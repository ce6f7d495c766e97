package dev.ocmirror.orchestrator.ocmirror;

import java.util.EnumSet;
import java.util.Set;

/** oc-mirror's image categories, with the bit each sets in the exit status (contract section 5). */
public enum ImageType {
  RELEASE(2, "release"),
  OPERATOR(4, "operator"),
  ADDITIONAL(8, "additional"),
  HELM(16, "helm");

  private final int exitBit;
  private final String word;

  ImageType(int exitBit, String word) {
    this.exitBit = exitBit;
    this.word = word;
  }

  public int exitBit() {
    return exitBit;
  }

  /** The word oc-mirror prints in its Results lines. */
  public String word() {
    return word;
  }

  static ImageType fromWord(String word) {
    for (ImageType type : values()) {
      if (type.word.equals(word)) {
        return type;
      }
    }
    return word.equals("generic") ? ADDITIONAL : null;
  }

  /** The types whose bit is set in an exit status of the bitmask releases (1 and 255 carry no types). */
  public static Set<ImageType> inExitStatus(int status) {
    Set<ImageType> types = EnumSet.noneOf(ImageType.class);
    if (status <= 1 || status > 31) {
      return types;
    }
    for (ImageType type : values()) {
      if ((status & type.exitBit) != 0) {
        types.add(type);
      }
    }
    return types;
  }
}
