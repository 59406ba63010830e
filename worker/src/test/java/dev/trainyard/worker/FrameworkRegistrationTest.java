package dev.trainyard.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.activities.LocalLauncherConfig;
import dev.trainyard.activities.kubernetes.KubernetesLauncherConfig;
import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.store.frameworks.TrainerFrameworkDao;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FrameworkRegistrationTest {
  static EmbeddedDatabase database;
  static Jdbi jdbi;

  @BeforeAll
  static void startDatabase() {
    database = EmbeddedDatabase.startTemporary();
    Database.migrate(database.dataSource());
    jdbi = Database.connect(database.dataSource());
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  @BeforeEach
  void emptyTable() {
    jdbi.useHandle(h -> h.execute("DELETE FROM trainer_frameworks"));
  }

  @Test
  void aWorkerServesItsNamedFrameworksAndAnyWhenItHasADefaultTrainer() {
    Path jobs = Path.of("jobs");
    Map<String, List<String>> commands = Map.of("scripted", List.of("python3", "scripted.py"));
    assertThat(
            ServedFrameworks.of(
                new LocalLauncherConfig(commands, List.of(), jobs, "http://127.0.0.1:8080", null)))
        .containsExactly("scripted");
    assertThat(
            ServedFrameworks.of(
                new LocalLauncherConfig(
                    commands, List.of("my-trainer"), jobs, "http://127.0.0.1:8080", null)))
        .containsExactlyInAnyOrder("scripted", TrainerFrameworkDao.ANY_FRAMEWORK);
    assertThat(
            ServedFrameworks.of(
                KubernetesLauncherConfig.of("training", "trainer:1", "http://api:8080")))
        .containsExactly(TrainerFrameworkDao.ANY_FRAMEWORK);
  }

  @Test
  void registeredFrameworksAreServedAndAWorkerStartedAgainReplacesItsOwn() {
    TrainerFrameworkDao dao = jdbi.onDemand(TrainerFrameworkDao.class);
    FrameworkRegistration first =
        FrameworkRegistration.start(jdbi, "worker-a", Set.of("scripted", "ultralytics"));
    assertThat(dao.served()).containsExactlyInAnyOrder("scripted", "ultralytics");
    first.close();

    FrameworkRegistration again =
        FrameworkRegistration.start(jdbi, "worker-a", Set.of("ultralytics"));
    FrameworkRegistration other = FrameworkRegistration.start(jdbi, "worker-b", Set.of());
    assertThat(dao.served()).containsExactly("ultralytics");
    again.close();
    other.close();
  }

  @Test
  void aStoppedWorkersFrameworksCountUntilTheyAreForgotten() {
    TrainerFrameworkDao dao = jdbi.onDemand(TrainerFrameworkDao.class);
    FrameworkRegistration.start(jdbi, "worker-a", Set.of("scripted")).close();

    assertThat(dao.served()).containsExactly("scripted");

    jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE trainer_frameworks SET seen_at = now() - make_interval(secs => ?)",
                TrainerFrameworkDao.FORGET_AFTER.toSeconds() + 60));
    assertThat(dao.served()).isEmpty();
    assertThat(dao.refresh("worker-a")).isEqualTo(1);
    assertThat(dao.served()).containsExactly("scripted");
  }
}
