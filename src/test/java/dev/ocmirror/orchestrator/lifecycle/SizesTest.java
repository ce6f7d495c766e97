package dev.ocmirror.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SizesTest {

  @Test
  void sizesReadInBinaryUnitsWithTheExactCountBeside() {
    assertThat(Sizes.words(512)).isEqualTo("512 bytes");
    assertThat(Sizes.words(216_576)).isEqualTo("211.5 KiB (216,576 bytes)");
    assertThat(Sizes.words(3L << 20)).isEqualTo("3.0 MiB (3,145,728 bytes)");
    assertThat(Sizes.words(1_610_612_736L)).isEqualTo("1.5 GiB (1,610,612,736 bytes)");
  }
}
