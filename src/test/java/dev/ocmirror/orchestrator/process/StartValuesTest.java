package dev.ocmirror.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a station accepts as the place its media are mounted: handed to commands as one argument, never a shell. */
class StartValuesTest {

  @Test
  void mediaAreReadFromAnAbsolutePathOfPlainCharactersOnly() {
    assertThat(StartValues.mediaPath("/mnt/usb-7/transfer_2026.12")).isEmpty();
    assertThat(StartValues.mediaPath(null)).get().asString().contains("is required");
    assertThat(StartValues.mediaPath(" ")).get().asString().contains("is required");
    assertThat(StartValues.mediaPath(42)).get().asString().contains("is required");
    for (String wrong : new String[] {"mnt/usb", "/mnt/../etc", "/mnt/usb/..", "/mnt/usb; rm -rf /", "/mnt/$(id)",
        "/mnt/usb\nsecond", "/mnt/usb stick", "/" + "a".repeat(1024)}) {
      assertThat(StartValues.mediaPath(wrong)).as(wrong).get().asString().startsWith("mediaPath: an absolute path");
    }
  }
}
