package dev.trainyard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {
  @Test
  void replacesSetVariablesAndFallsBackToDefaults() {
    String text = "url: ${DB_URL}\nuser: ${DB_USER:-trainyard}\nempty: ${NONE:-}\n";

    String result = EnvSubstitution.apply(text, Map.of("DB_URL", "jdbc:postgresql://db/x$1"));

    assertThat(result).isEqualTo("url: jdbc:postgresql://db/x$1\nuser: trainyard\nempty: \n");
  }

  @Test
  void anUnsetVariableWithoutDefaultIsNamed() {
    assertThatThrownBy(() -> EnvSubstitution.apply("secret: ${THE_SECRET}", Map.of()))
        .hasMessageContaining("THE_SECRET");
  }
}
