package dev.trainyard.api.streams;

import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.errors.ApiException;
import dev.trainyard.api.jobs.EventView;
import dev.trainyard.api.jobs.JobFilter;
import dev.trainyard.api.jobs.JobView;
import dev.trainyard.api.jobs.MetricView;
import dev.trainyard.api.logs.LocalLogStreamer;
import dev.trainyard.api.logs.LogSlice;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.changes.JobChangeDao;
import dev.trainyard.store.jobs.EventRecord;
import dev.trainyard.store.jobs.JobHistoryDao;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.store.jobs.MetricRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.glassfish.jersey.server.ChunkedOutput;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens streams: registers the client with the hub first, then writes its catch-up from the
 * database on a writer thread (the job's snapshot and history after the client's cursor, or the
 * list's changes since its id), then lets the hub's live messages through.
 */
final class JobStreams {
  /** A list stream that missed more than this many changed jobs is told to reload instead. */
  static final int LIST_CATCH_UP_LIMIT = 1_000;

  private static final Logger log = LoggerFactory.getLogger(JobStreams.class);

  private final JobStreamHub hub;
  private final JobChangeDao changes;
  private final JobHistoryDao history;
  private final JsonText json;
  private final ExecutorService writers;
  private final Clock clock;
  private final int maxClients;
  private final JobLogFiles logFiles;

  JobStreams(
      JobStreamHub hub,
      JobLogFiles logFiles,
      Jdbi jdbi,
      JsonText json,
      ExecutorService writers,
      Clock clock,
      int maxClients) {
    this.hub = hub;
    this.logFiles = logFiles;
    this.changes = jdbi.onDemand(JobChangeDao.class);
    this.history = jdbi.onDemand(JobHistoryDao.class);
    this.json = json;
    this.writers = writers;
    this.clock = clock;
    this.maxClients = maxClients;
  }

  /** The caller may see the job (checked by the resource). */
  ChunkedOutput<String> openJob(UserPrincipal caller, long jobId, JobCursor cursor, int tail) {
    requireRoom();
    ChunkedOutput<String> chunks = new ChunkedOutput<>(String.class);
    JobSubscriber[] self = new JobSubscriber[1];
    StreamOutput output = new StreamOutput(chunks, writers, () -> hub.unwatch(self[0]));
    JobSubscriber client = new JobSubscriber(jobId, output, cursor, caller.keyId());
    self[0] = client;
    hub.watch(client);
    writers.execute(() -> catchUp(client, cursor, tail));
    return chunks;
  }

  ChunkedOutput<String> openList(UserPrincipal caller, JobFilter filter, Instant resumeFrom) {
    requireRoom();
    ChunkedOutput<String> chunks = new ChunkedOutput<>(String.class);
    ListSubscriber[] self = new ListSubscriber[1];
    StreamOutput output = new StreamOutput(chunks, writers, () -> hub.unwatchList(self[0]));
    ListSubscriber client = new ListSubscriber(caller, filter, output);
    self[0] = client;
    hub.watchList(client);
    writers.execute(() -> catchUp(client, resumeFrom));
    return chunks;
  }

  private void requireRoom() {
    if (hub.clientCount() >= maxClients) {
      throw new ApiException(
          503,
          "this API replica already serves "
              + maxClients
              + " streams (userApi.maxStreamClients); retry in a moment or use another replica");
    }
  }

  private void catchUp(JobSubscriber client, JobCursor from, int tail) {
    try {
      StringBuilder text = new StringBuilder(SseFrames.RETRY);
      List<JobRecord> row = changes.jobs(new long[] {client.jobId});
      if (row.isEmpty()) {
        client.output.abort(); // the job is gone (an unstarted submit was rolled back)
        return;
      }
      JobRecord job = row.get(0);
      JobCursor cursor = from;
      SseFrames.append(text, cursor.id(), "job", json.write(JobView.of(job, json)));
      client.output.writeDirectly(text.toString());
      long after = cursor.eventId();
      while (true) {
        List<EventRecord> page = history.events(client.jobId, after, JobStreamHub.PAGE);
        if (page.isEmpty()) {
          break;
        }
        text.setLength(0);
        for (EventRecord event : page) {
          cursor = cursor.withEvent(event.id());
          SseFrames.append(text, cursor.id(), "event", json.write(EventView.of(event, json)));
        }
        client.output.writeDirectly(text.toString());
        after = cursor.eventId();
      }
      after = cursor.metricId();
      while (true) {
        List<MetricRecord> page = history.metrics(client.jobId, after, JobStreamHub.PAGE);
        if (page.isEmpty()) {
          break;
        }
        text.setLength(0);
        for (MetricRecord metric : page) {
          cursor = cursor.withMetric(metric.id());
          SseFrames.append(text, cursor.id(), "metric", json.write(MetricView.of(metric, json)));
        }
        client.output.writeDirectly(text.toString());
        after = cursor.metricId();
      }
      boolean terminal = JobStreamHub.isTerminal(job.status());
      if (client.logs) {
        cursor = catchUpLog(client, cursor, tail, terminal);
      }
      client.caughtUp(cursor, terminal, job.status());
    } catch (IOException | RuntimeException e) {
      log.debug("job {} stream catch-up ended: {}", client.jobId, e.toString());
      client.output.abort();
    }
  }

  /** The log's last {@code tail} lines, or what follows the client's offset, to its end now. */
  private JobCursor catchUpLog(JobSubscriber client, JobCursor cursor, int tail, boolean terminal)
      throws IOException {
    Path file = logFiles.find(client.jobId).filter(Files::exists).orElse(null);
    if (file == null) {
      // Not launched yet (the hub sends the whole log once its file exists), or its file is gone
      // or unreadable here: then what the worker archived.
      LogSlice archived =
          logFiles.archived(client.jobId, cursor.logOffset(), tail, terminal).orElse(null);
      if (archived == null || archived.lines().isEmpty()) {
        return cursor;
      }
      cursor = cursor.withLogOffset(archived.end());
      StringBuilder text = new StringBuilder();
      SseFrames.append(text, cursor.id(), "log", LogData.of(archived.lines()));
      client.output.writeDirectly(text.toString());
      return cursor;
    }
    long offset =
        cursor.logOffset() >= 0 ? cursor.logOffset() : LocalLogStreamer.tailStart(file, tail);
    StringBuilder text = new StringBuilder();
    while (true) {
      LogSlice slice = JobLogFiles.read(file, offset, terminal);
      if (slice.lines().isEmpty() || slice.end() <= offset) {
        return cursor.withLogOffset(Math.max(offset, cursor.logOffset()));
      }
      offset = slice.end();
      cursor = cursor.withLogOffset(offset);
      text.setLength(0);
      SseFrames.append(text, cursor.id(), "log", LogData.of(slice.lines()));
      client.output.writeDirectly(text.toString());
    }
  }

  private void catchUp(ListSubscriber client, Instant resumeFrom) {
    Instant readAt = clock.instant();
    try {
      StringBuilder text = new StringBuilder(SseFrames.RETRY);
      String id = ListCursor.at(readAt);
      if (resumeFrom != null) {
        List<JobRecord> missed =
            changes.changedSince(resumeFrom, client.caller.project(), LIST_CATCH_UP_LIMIT + 1);
        if (missed.size() > LIST_CATCH_UP_LIMIT) {
          SseFrames.append(text, id, "reset", "{}");
        } else {
          for (JobRecord job : missed) {
            JobView view = JobView.of(job, json);
            if (client.caller.canSee(view.projectId()) && client.filter.matches(view)) {
              SseFrames.append(text, id, "job", json.write(view));
            }
          }
        }
      }
      SseFrames.append(text, id, "ready", "{}");
      client.output.writeDirectly(text.toString());
      client.caughtUp(readAt);
    } catch (IOException | RuntimeException e) {
      log.debug("list stream catch-up ended: {}", e.toString());
      client.output.abort();
    }
  }
}
