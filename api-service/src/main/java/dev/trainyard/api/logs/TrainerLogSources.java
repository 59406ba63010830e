package dev.trainyard.api.logs;

import dev.trainyard.api.errors.ApiException;
import dev.trainyard.api.logs.JobLogLookup.JobLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a job's trainer log can be read now: its file, its pod, else its archived copy in the
 * object store (the file or pod is gone, or this API cannot reach it). The one place that decides
 * it, for the logs endpoint and for {@link TrainerLogLines}.
 */
final class TrainerLogSources {
  sealed interface Source permits NotYet, LocalFile, PodLog, Archived {}

  /** Not launched yet, or launched and not written yet: nothing to show. */
  record NotYet() implements Source {}

  record LocalFile(Path file) implements Source {}

  record PodLog(String pod) implements Source {}

  /** The archive's last lines, read already (so a failing store is answered before streaming). */
  record Archived(LogSlice tail) implements Source {}

  private final LocalLogStreamer local;
  private final PodLogStreamer pods;
  private final ArchivedLogs archive;

  TrainerLogSources(LocalLogStreamer local, PodLogStreamer pods, ArchivedLogs archive) {
    this.local = local;
    this.pods = pods;
    this.archive = archive;
  }

  /**
   * The job's log source, or a problem: 403 for a location this API never serves (a tampered row),
   * 503 or 404 when the log's place cannot be reached and nothing was archived.
   */
  Source find(JobLog job, int tail) {
    if (job.trainerLog() == null) {
      return new NotYet();
    }
    String[] kubernetesJob = LogsResource.kubernetesJob(job.trainerLog());
    if (kubernetesJob != null) {
      if (pods != null) {
        Optional<String> pod;
        try {
          pod = pods.podOf(kubernetesJob[0], kubernetesJob[1]);
        } catch (ApiException e) {
          if (e.status() != 503) {
            throw e; // a Job outside the training namespace stays refused
          }
          // The Kubernetes API is unreachable: the archive, if there is one, says the same.
          return archived(job, tail).orElseThrow(() -> e);
        }
        if (pod.isPresent()) {
          return new PodLog(pod.get());
        }
      }
      return archived(job, tail)
          .orElseThrow(
              () ->
                  pods == null
                      ? new ApiException(
                          503,
                          "this API has no Kubernetes access configured (logs.kubernetes) and no"
                              + " archived log of job "
                              + job.jobId())
                      : new ApiException(
                          404,
                          "the trainer pod of "
                              + kubernetesJob[1]
                              + " does not exist (not started yet, or removed after the Job's"
                              + " TTL) and no log of it was archived"));
    }
    if (!local.servesFiles()) {
      return archived(job, tail)
          .orElseThrow(
              () ->
                  new ApiException(
                      503,
                      "this API has no logs.jobsDirectory configured for local trainer logs and"
                          + " no archived log of job "
                          + job.jobId()));
    }
    Path file = local.checked(job.trainerLog());
    if (Files.exists(file)) {
      return new LocalFile(file);
    }
    // The launcher creates the file before it records it: a missing one was deleted, or is on a
    // machine or container this API does not see. The archive, else a 503 that says so (an empty
    // 200 would read as "no output yet").
    return archived(job, tail)
        .orElseThrow(
            () ->
                new ApiException(
                    503,
                    "the trainer's log is not on this API's file system and no copy of it was"
                        + " archived: logs.jobsDirectory must be the workers' jobs folder, shared"
                        + " with them, and a storage block keeps a copy (docs/operations.md,"
                        + " Deploy files)"));
  }

  private Optional<Source> archived(JobLog job, int tail) {
    return archive.read(job.jobId(), 0, tail, job.terminal()).map(Archived::new);
  }
}
