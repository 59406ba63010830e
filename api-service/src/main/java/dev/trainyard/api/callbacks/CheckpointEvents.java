package dev.trainyard.api.callbacks;

import dev.trainyard.store.jobs.LockedJob;
import dev.trainyard.workflows.messages.CheckpointSaved;
import java.util.Map;
import java.util.Optional;

/**
 * Which {@code checkpoint_saved} events the workflow hears of: the trainer's report of a {@code
 * last} checkpoint it uploaded, {@code data: {"epoch": 3, "uri": "s3://…/last.pt", "kind":
 * "last"}}, with a completed epoch (1 or more) and a URI under the job's own checkpoint prefix in
 * the API's bucket ({@code s3://<bucket>/checkpoints/job-<id>/…}, no {@code ..}). The next attempt
 * resumes from the latest one, so a URI elsewhere (another job's checkpoints, another bucket) must
 * never reach it. Every other {@code checkpoint_saved} (a {@code best} one, the seed's final report
 * with {@code data.path}, a malformed one) is stored as the event it is and signals nothing.
 * Without storage configured the API does not know the bucket: any bucket is accepted, the job's
 * path still is required.
 */
final class CheckpointEvents {
  static final String EVENT_TYPE = "checkpoint_saved";
  private static final int MAX_URI = 1024;

  private final String bucket;

  CheckpointEvents(String bucket) {
    this.bucket = bucket == null || bucket.isBlank() ? null : bucket;
  }

  /** The checkpoint this event reports, if it is one the workflow may resume from. */
  Optional<CheckpointSaved> of(
      LockedJob job, String eventType, Map<String, Object> data, long receivedAtMillis) {
    if (!EVENT_TYPE.equals(eventType) || data == null || !"last".equals(data.get("kind"))) {
      return Optional.empty();
    }
    Integer epoch = epoch(data.get("epoch"));
    if (epoch == null || !(data.get("uri") instanceof String uri) || !isJobCheckpoint(job, uri)) {
      return Optional.empty();
    }
    return Optional.of(new CheckpointSaved(job.attempt(), epoch, uri, receivedAtMillis));
  }

  boolean isJobCheckpoint(LockedJob job, String uri) {
    if (uri.length() > MAX_URI || !uri.startsWith("s3://") || uri.contains("..")) {
      return false;
    }
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c <= ' ' || c == 0x7f || c == '\\' || c == '?' || c == '#') {
        return false;
      }
    }
    String rest = uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return false;
    }
    String uriBucket = rest.substring(0, slash);
    String key = rest.substring(slash + 1);
    String prefix = "checkpoints/job-" + job.id() + "/";
    return (bucket == null || bucket.equals(uriBucket))
        && key.startsWith(prefix)
        && key.length() > prefix.length()
        && !key.contains("//");
  }

  /** A JSON integer from 1 up; anything else (2.0, "3", 0) is not an epoch. */
  private static Integer epoch(Object value) {
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short)) {
      return null; // a BigInteger is too large anyway
    }
    long epoch = ((Number) value).longValue();
    return epoch >= 1 && epoch <= Integer.MAX_VALUE ? (int) epoch : null;
  }
}
