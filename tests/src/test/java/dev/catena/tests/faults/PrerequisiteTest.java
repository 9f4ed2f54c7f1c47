package dev.catena.tests.faults;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PrerequisiteTest {
  @Test
  void missingPrerequisiteFailsInCiAndSkipsElsewhere() {
    assertThatThrownBy(() -> Prerequisite.require(false, () -> "not root", "true"))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("missing prerequisite in CI")
        .hasMessageContaining("not root");
    assertThatThrownBy(() -> Prerequisite.require(false, () -> "not root", "1"))
        .isInstanceOf(AssertionFailedError.class);
    assertThatThrownBy(() -> Prerequisite.require(false, () -> "not root", null))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("not root");
    assertThatThrownBy(() -> Prerequisite.require(false, () -> "not root", "false"))
        .isInstanceOf(TestAbortedException.class);
    assertThatCode(() -> Prerequisite.require(true, () -> "unused", "true"))
        .doesNotThrowAnyException();
  }
}
