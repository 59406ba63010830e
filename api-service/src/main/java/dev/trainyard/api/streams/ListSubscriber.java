package dev.trainyard.api.streams;

import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.jobs.JobFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the job list's stream: which jobs it may see and wants. Clients with the same {@link
 * #group} share one rendered chunk per flush. Until its catch-up is written, flushes are held; then
 * those read before the catch-up began are dropped (the catch-up is newer) and the rest sent.
 */
final class ListSubscriber {
  private static final int MAX_BACKLOG = 64;

  final UserPrincipal caller;
  final JobFilter filter;
  final StreamOutput output;
  final String group;
  private List<Flush> backlog = new ArrayList<>();

  private record Flush(Instant readAt, String chunk) {}

  ListSubscriber(UserPrincipal caller, JobFilter filter, StreamOutput output) {
    this.caller = caller;
    this.filter = filter;
    this.output = output;
    // what decides the chunk: the visible projects (one, or all) and the filter
    this.group = (caller.project() == null ? "*" : caller.project()) + "|" + filter;
  }

  /** A flush made from rows read at {@code readAt}. */
  synchronized void deliver(Instant readAt, String chunk) {
    if (backlog == null) {
      output.offer(chunk);
    } else if (backlog.size() < MAX_BACKLOG) {
      backlog.add(new Flush(readAt, chunk));
    } else {
      output.abort(); // catch-up never finished; the client reconnects
    }
  }

  /** The catch-up, read from {@code catchUpReadAt}, is written: go live. */
  synchronized void caughtUp(Instant catchUpReadAt) {
    for (Flush flush : backlog) {
      if (!flush.readAt().isBefore(catchUpReadAt)) {
        output.offer(flush.chunk());
      }
    }
    backlog = null;
  }
}
