package dev.trainyard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.app.temporal.TemporalConfigFiles;
import dev.trainyard.e2e.support.Repository;
import dev.trainyard.workflows.JobSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * temporal-config/ and the Java code must describe the same Temporal set-up: compose registers
 * search attributes from the file, the dev stack from JobSearchAttributes.definitions(), and a
 * workflow that upserts an attribute the server does not know is stuck for good.
 */
class TemporalConfigAgreementTest {
  private final TemporalConfigFiles config =
      new TemporalConfigFiles(Repository.file(TemporalConfigFiles.FOLDER));

  @Test
  void theRegisteredSearchAttributesAreExactlyTheOnesTheWorkflowUpserts() {
    Map<String, IndexedValueType> fromFile = config.searchAttributes();

    assertThat(fromFile).containsExactlyInAnyOrderEntriesOf(JobSearchAttributes.definitions());
  }

  @Test
  void everyDynamicConfigValueReachesTheDevServerAsAFlag() {
    Map<String, String> values = config.dynamicConfigValues();

    assertThat(values)
        .containsEntry("system.forceSearchAttributesCacheRefreshOnRead", "true")
        .containsEntry("limit.historyCount.suggestContinueAsNew", "4096")
        .containsEntry("history.maximumSignalsPerExecution", "10000");
    assertThat(config.devServerFlags())
        .hasSize(2 * values.size())
        .contains("--dynamic-config-value", "limit.historyCount.suggestContinueAsNew=4096");
  }

  @Test
  void theRegistrationImageCarriesTheScriptAndTheAttributeList() throws Exception {
    Path dir = config.directory();
    assertThat(dir.resolve(TemporalConfigFiles.REGISTER_SCRIPT)).isExecutable();
    String dockerfile = Files.readString(dir.resolve("Dockerfile"));

    assertThat(dockerfile)
        .contains("COPY --chmod=755 register.sh /opt/trainyard/register.sh")
        .contains("COPY search-attributes.txt /opt/trainyard/search-attributes.txt")
        .contains("ENTRYPOINT [\"/opt/trainyard/register.sh\"]");
  }
}
