package dev.trainyard.api.explain;

import dev.trainyard.api.logs.TrainerLogLines;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.store.jobs.TrainerLogDao;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The last lines of a job's trainer log for {@code explain}, tokens masked, or a note saying why
 * there are none. The lines come from the logs code's one reader (the file, the pod, else the
 * archive in the storage bucket), so explain shows what {@code trainyard logs} would.
 */
final class ExplainLogLines {
  record Lines(List<String> lines, String note) {}

  private final TrainerLogDao logs;
  private final TrainerLogLines reader;

  /**
   * @param reader the logs block's reader; null when the API serves no logs at all
   */
  ExplainLogLines(Jdbi jdbi, TrainerLogLines reader) {
    this.logs = jdbi.onDemand(TrainerLogDao.class);
    this.reader = reader;
  }

  Lines lastLines(JobRecord job, int n) {
    String location = logs.find(job.id()).map(TrainerLogDao.TrainerLogRow::trainerLog).orElse(null);
    if (location == null) {
      return new Lines(List.of(), "the trainer has not been launched, so it has no log yet");
    }
    Optional<List<String>> lines = reader == null ? Optional.empty() : reader.lastLines(job, n);
    if (lines.isPresent()) {
      return new Lines(lines.get(), null);
    }
    return new Lines(
        List.of(),
        "the trainer's log cannot be read here: it is neither where this API reads trainer logs"
            + " (logs.jobsDirectory, logs.kubernetes) nor in the storage bucket's archive"
            + " (logs/job-"
            + job.id()
            + "/trainer.log.gz); `trainyard logs "
            + job.id()
            + "` says why");
  }
}
