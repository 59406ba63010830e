package dev.trainyard.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.store.frameworks.TrainerFrameworkDao;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RegisteredFrameworksTest {
  final AtomicReference<Set<String>> table = new AtomicReference<>(Set.of("scripted"));
  final AtomicInteger reads = new AtomicInteger();
  final AtomicLong clock = new AtomicLong();
  final RegisteredFrameworks frameworks =
      new RegisteredFrameworks(
          () -> {
            reads.incrementAndGet();
            return table.get();
          },
          clock::get);

  @Test
  void aServedFrameworkIsAnsweredFromTheCacheWithinItsLifetime() {
    assertThat(reasonFor("scripted")).isNull();
    assertThat(reasonFor("scripted")).isNull();
    assertThat(reads).hasValue(1);

    clock.addAndGet(RegisteredFrameworks.CACHE_FOR.toNanos() + 1);
    table.set(Set.of());
    assertThat(reasonFor("scripted")).contains("known frameworks: []");
  }

  @Test
  void anUnknownFrameworkIsLookedUpAgainBeforeItIsRefused() {
    assertThat(reasonFor("scripted")).isNull();
    table.set(Set.of("scripted", "ultralytics"));

    assertThat(reasonFor("ultralytics")).isNull();
    assertThat(reasonFor("yolov8-typo"))
        .isEqualTo(
            "has no trainer registered by any worker;"
                + " known frameworks: [\"scripted\",\"ultralytics\"]");
  }

  @Test
  void aDefaultTrainerServesEveryFramework() {
    table.set(Set.of("scripted", TrainerFrameworkDao.ANY_FRAMEWORK));

    assertThat(reasonFor("anything-at-all")).isNull();
  }

  @Test
  void aFrameworkAlreadyRefusedForItsFormIsNotLookedUp() {
    FieldErrors errors = new FieldErrors();
    errors.add("framework", "must match [a-z0-9_-]{1,32}");

    frameworks.check(errors, "framework", "Bad Name");

    assertThat(reads).hasValue(0);
  }

  private String reasonFor(String framework) {
    FieldErrors errors = new FieldErrors();
    frameworks.check(errors, "framework", framework);
    try {
      errors.throwIfAny();
      return null;
    } catch (dev.trainyard.api.errors.InvalidRequestException e) {
      return e.errors().get("framework");
    }
  }
}
