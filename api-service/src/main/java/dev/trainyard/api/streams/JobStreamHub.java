package dev.trainyard.api.streams;

import dev.trainyard.api.jobs.EventView;
import dev.trainyard.api.jobs.JobView;
import dev.trainyard.api.jobs.MetricView;
import dev.trainyard.api.logs.LogSlice;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.access.ApiKeyDao;
import dev.trainyard.store.changes.JobChangeDao;
import dev.trainyard.store.changes.JobChangeDao.HighWater;
import dev.trainyard.store.changes.JobChangeDao.MetricRow;
import dev.trainyard.store.changes.JobChanges;
import dev.trainyard.store.jobs.EventRecord;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.workflows.JobStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans the database's change announcements out to every stream client of this API replica. The
 * listener only collects job ids; every {@link #TICK_MS} one thread reads, for all the watched jobs
 * that changed, their rows, new events and new metrics in three statements (whatever the number of
 * jobs or clients), renders each message's JSON once and hands it to each client's {@link
 * StreamOutput}. The list stream is flushed every {@link #LIST_FLUSH_TICKS} ticks, one rendered
 * chunk per kind of client. No thread here ever writes to a socket.
 */
final class JobStreamHub {
  static final long TICK_MS = 500;
  static final int LIST_FLUSH_TICKS = 2;

  /**
   * A job snapshot whose only news is progress (a heartbeat's epoch, percentage, time) goes out at
   * most this often per job; any other change (status, cancel, done) goes out at once. Heartbeats
   * come every few hundred milliseconds; a progress bar needs no more than one a second, and the
   * snapshot is most of a stream's bytes.
   */
  static final long PROGRESS_SNAPSHOT_MS = 1_000;

  /** Rows per job and statement; a job with more is read again on the next tick. */
  static final int PAGE = 500;

  private static final Logger log = LoggerFactory.getLogger(JobStreamHub.class);

  private final JobChangeDao changes;
  private final ApiKeyDao keys;
  private final JsonText json;
  private final Clock clock;

  private final Set<Long> pendingJobs = ConcurrentHashMap.newKeySet();
  private final Set<Long> pendingList = ConcurrentHashMap.newKeySet();
  private volatile boolean everythingPending;

  /** Watched jobs; changed only under {@code this}. */
  private final Map<Long, Watch> watches = new HashMap<>();

  private final List<ListSubscriber> listClients = new CopyOnWriteArrayList<>();
  private int ticks;
  private long lastKeepaliveMs;

  /** A watched job: what its clients have been sent up to, and who they are. */
  private static final class Watch {
    HighWater sent;
    final List<JobSubscriber> clients = new CopyOnWriteArrayList<>();

    /** Clients that stream the log; while there are any, the file is read every tick. */
    int logClients;

    /** The job's local log file, once its trainer was launched. */
    Path logFile;

    long logSent;

    /** What the last snapshot sent showed besides progress, and when it went. */
    String snapshotShape;

    long snapshotAtMillis;

    /** A progress-only snapshot was held back; it goes out when due. */
    boolean snapshotOwed;

    Watch(HighWater sent) {
      this.sent = sent;
    }
  }

  private final JobLogFiles logFiles;

  private final long keepaliveMillis;

  JobStreamHub(
      Jdbi jdbi, JsonText json, Clock clock, JobLogFiles logFiles, Duration keepaliveInterval) {
    this.logFiles = logFiles;
    this.keepaliveMillis = keepaliveInterval.toMillis();
    this.changes = jdbi.onDemand(JobChangeDao.class);
    this.keys = jdbi.onDemand(ApiKeyDao.class);
    this.json = json;
    this.clock = clock;
    this.lastKeepaliveMs = clock.millis();
  }

  /** From the listener's thread: remember, read on the next tick. */
  void onChanges(JobChanges announced) {
    if (announced.everything()) {
      everythingPending = true;
      return;
    }
    synchronized (this) { // once per announcement batch, not per job id
      for (Long id : announced.jobIds()) {
        if (watches.containsKey(id)) {
          pendingJobs.add(id);
        }
      }
    }
    if (!listClients.isEmpty()) {
      pendingList.addAll(announced.jobIds());
    }
  }

  private synchronized boolean isWatched(long jobId) {
    return watches.containsKey(jobId);
  }

  /**
   * Starts watching for this client before its catch-up reads the database, so anything committed
   * after that read reaches it live (and anything both ways is skipped by id).
   */
  void watch(JobSubscriber client) {
    // The database is read outside the lock, which the listener's thread also takes: a new watch
    // starts at the job's high water now; anything after it (or both ways) is skipped by id.
    HighWater start = isWatched(client.jobId) ? null : changes.highWater(client.jobId);
    Path file = client.logs ? logFiles.find(client.jobId).orElse(null) : null;
    synchronized (this) {
      Watch watch = watches.get(client.jobId);
      if (watch == null) {
        watch = new Watch(start != null ? start : changes.highWater(client.jobId));
        watches.put(client.jobId, watch);
      }
      if (client.logs && watch.logClients++ == 0 && watch.logFile == null && file != null) {
        watch.logFile = file;
        watch.logSent = JobLogFiles.length(file); // older lines come with the catch-up
      }
      watch.clients.add(client);
    }
  }

  synchronized void unwatch(JobSubscriber client) {
    Watch watch = watches.get(client.jobId);
    if (watch != null && watch.clients.remove(client)) {
      if (client.logs) {
        watch.logClients--;
      }
      if (watch.clients.isEmpty()) {
        watches.remove(client.jobId);
      }
    }
  }

  void watchList(ListSubscriber client) {
    listClients.add(client);
  }

  void unwatchList(ListSubscriber client) {
    listClients.remove(client);
  }

  synchronized int clientCount() {
    int count = listClients.size();
    for (Watch watch : watches.values()) {
      count += watch.clients.size();
    }
    return count;
  }

  /** One round: read what changed, deliver it; keepalives and expired keys now and then. */
  void tick() {
    try {
      Instant readAt = clock.instant();
      boolean everything = everythingPending;
      everythingPending = false;
      Map<Long, JobRecord> rows = deliverJobs(everything);
      deliverLogs(rows.keySet());
      if (++ticks % LIST_FLUSH_TICKS == 0 || everything) {
        flushList(rows, everything, readAt);
      }
      long now = clock.millis();
      if (now - lastKeepaliveMs >= keepaliveMillis) {
        lastKeepaliveMs = now;
        keepalive();
      }
    } catch (RuntimeException e) {
      // The database may be away: what this round took is lost, so the next one reads everything.
      everythingPending = true;
      log.warn("stream round failed ({}); retrying", e.toString());
    }
  }

  private Map<Long, JobRecord> deliverJobs(boolean everything) {
    Map<Long, Watch> changed = new LinkedHashMap<>();
    long now = clock.millis();
    synchronized (this) {
      Set<Long> ids = everything ? new HashSet<>(watches.keySet()) : drain(pendingJobs);
      for (Long id : ids) {
        Watch watch = watches.get(id);
        if (watch != null) {
          changed.put(id, watch);
        }
      }
      for (Map.Entry<Long, Watch> entry : watches.entrySet()) {
        Watch watch = entry.getValue();
        if (watch.snapshotOwed && now - watch.snapshotAtMillis >= PROGRESS_SNAPSHOT_MS) {
          changed.put(entry.getKey(), watch);
        }
      }
    }
    Map<Long, JobRecord> rows = new HashMap<>();
    if (changed.isEmpty()) {
      return rows;
    }
    long[] ids = changed.keySet().stream().mapToLong(Long::longValue).toArray();
    long[] eventsAfter = new long[ids.length];
    long[] metricsAfter = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      HighWater sent = changed.get(ids[i]).sent;
      eventsAfter[i] = sent.eventId();
      metricsAfter[i] = sent.metricId();
    }
    // The rows first: a job that reads terminal here has committed its last event and metrics,
    // so the reads after it see them all and end can follow them. (Read last, a status change
    // committed in between would end the stream without its status_changed event.)
    for (JobRecord row : changes.jobs(ids)) {
      rows.put(row.id(), row);
    }
    Map<Long, List<StreamMessage>> messages = new HashMap<>();
    Map<Long, int[]> counts = new HashMap<>();
    for (EventRecord event : changes.eventsAfter(ids, eventsAfter, PAGE)) {
      messages
          .computeIfAbsent(event.jobId(), id -> new ArrayList<>())
          .add(StreamMessage.event(event.id(), json.write(EventView.of(event, json))));
      counts.computeIfAbsent(event.jobId(), id -> new int[2])[0]++;
    }
    for (MetricRow metric : changes.metricsAfter(ids, metricsAfter, PAGE)) {
      messages
          .computeIfAbsent(metric.jobId(), id -> new ArrayList<>())
          .add(
              StreamMessage.metric(
                  metric.id(), json.write(MetricView.of(metric.record().metric(), json))));
      counts.computeIfAbsent(metric.jobId(), id -> new int[2])[1]++;
    }
    for (long id : ids) {
      Watch watch = changed.get(id);
      List<StreamMessage> out = messages.getOrDefault(id, new ArrayList<>());
      int[] count = counts.getOrDefault(id, new int[2]);
      boolean more = count[0] >= PAGE || count[1] >= PAGE;
      JobRecord row = rows.get(id);
      boolean ending = row != null && !more && isTerminal(row.status());
      if (watch.logClients > 0) {
        if (watch.logFile == null) {
          watch.logFile = logFiles.find(id).orElse(null); // launched since: all of it is new
        }
        // the last lines before end: a final pass also takes a line without its newline
        more |= readLog(watch, ending, out);
        ending &= !more;
      }
      if (row != null) {
        String shape = shape(row);
        if (ending
            || !shape.equals(watch.snapshotShape)
            || now - watch.snapshotAtMillis >= PROGRESS_SNAPSHOT_MS) {
          out.add(StreamMessage.job(json.write(JobView.of(row, json))));
          watch.snapshotShape = shape;
          watch.snapshotAtMillis = now;
          watch.snapshotOwed = false;
        } else {
          watch.snapshotOwed = true;
        }
        if (ending) {
          out.add(StreamMessage.end(row.status()));
        }
      }
      watch.sent = advance(watch.sent, out);
      for (JobSubscriber client : watch.clients) {
        client.deliver(out);
        if (client.ended()) {
          unwatch(client);
        }
      }
      if (more) {
        pendingJobs.add(id);
      }
    }
    return rows;
  }

  /** New log lines of the watched jobs whose rows did not change this round. */
  private void deliverLogs(Set<Long> alreadyRead) {
    List<Map.Entry<Long, Watch>> logWatches = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<Long, Watch> entry : watches.entrySet()) {
        if (entry.getValue().logClients > 0
            && entry.getValue().logFile != null
            && !alreadyRead.contains(entry.getKey())) {
          logWatches.add(entry);
        }
      }
    }
    for (Map.Entry<Long, Watch> entry : logWatches) {
      List<StreamMessage> out = new ArrayList<>();
      if (readLog(entry.getValue(), false, out)) {
        pendingJobs.add(entry.getKey());
      }
      if (!out.isEmpty()) {
        entry.getValue().clients.forEach(client -> client.deliver(out));
      }
    }
  }

  /** Adds the watch's new log lines to {@code out}; true when more are waiting. */
  private boolean readLog(Watch watch, boolean finalPass, List<StreamMessage> out) {
    if (watch.logFile == null) {
      return false;
    }
    try {
      LogSlice slice = JobLogFiles.read(watch.logFile, watch.logSent, finalPass);
      if (slice.end() < watch.logSent) {
        watch.logSent = 0; // truncated or replaced: the next round reads it from the start
        return true;
      }
      boolean more = slice.end() - watch.logSent >= JobLogFiles.MAX_BYTES_PER_READ;
      watch.logSent = slice.end();
      if (!slice.lines().isEmpty()) {
        out.add(StreamMessage.log(slice, LogData.of(slice.lines())));
      }
      return more;
    } catch (IOException e) {
      log.debug("reading a trainer log for its stream: {}", e.toString());
      return false;
    }
  }

  private void flushList(Map<Long, JobRecord> alreadyRead, boolean everything, Instant readAt) {
    if (listClients.isEmpty()) {
      pendingList.clear();
      return;
    }
    String id = ListCursor.at(readAt);
    if (everything) {
      pendingList.clear();
      String reset = SseFrames.frame(id, "reset", "{}");
      listClients.forEach(client -> client.deliver(readAt, reset));
      return;
    }
    Set<Long> ids = drain(pendingList);
    if (ids.isEmpty()) {
      return;
    }
    List<JobView> views = new ArrayList<>();
    Set<Long> missing = new HashSet<>();
    for (Long jobId : ids) {
      JobRecord row = alreadyRead.get(jobId);
      if (row != null) {
        views.add(JobView.of(row, json));
      } else {
        missing.add(jobId);
      }
    }
    if (!missing.isEmpty()) {
      for (JobRecord row : changes.jobs(missing.stream().mapToLong(Long::longValue).toArray())) {
        views.add(JobView.of(row, json));
      }
    }
    views.sort((a, b) -> Long.compare(a.jobId(), b.jobId()));
    Map<Long, String> rendered = new HashMap<>();
    Map<String, String> chunks = new HashMap<>();
    for (ListSubscriber client : listClients) {
      String chunk =
          chunks.computeIfAbsent(
              client.group,
              group -> {
                StringBuilder text = new StringBuilder();
                for (JobView view : views) {
                  if (client.caller.canSee(view.projectId()) && client.filter.matches(view)) {
                    String data = rendered.computeIfAbsent(view.jobId(), k -> json.write(view));
                    SseFrames.append(text, id, "job", data);
                  }
                }
                return text.toString();
              });
      if (!chunk.isEmpty()) {
        client.deliver(readAt, chunk);
      }
    }
  }

  /**
   * Keeps idle connections open, and ends the streams of keys that were revoked or expired since
   * they connected (one statement for all of them), so they come back with a working key.
   */
  private void keepalive() {
    List<JobSubscriber> jobClients = new ArrayList<>();
    synchronized (this) {
      watches.values().forEach(watch -> jobClients.addAll(watch.clients));
    }
    Set<String> keyIds = new HashSet<>();
    jobClients.forEach(client -> keyIds.add(client.keyId));
    listClients.forEach(client -> keyIds.add(client.caller.keyId()));
    if (keyIds.isEmpty()) {
      return;
    }
    Set<String> valid = keys.stillValid(keyIds.toArray(String[]::new));
    for (JobSubscriber client : jobClients) {
      keepOrClose(client.output, valid.contains(client.keyId));
    }
    for (ListSubscriber client : listClients) {
      keepOrClose(client.output, valid.contains(client.caller.keyId()));
    }
  }

  private static void keepOrClose(StreamOutput output, boolean keyStillValid) {
    if (keyStillValid) {
      output.offer(SseFrames.KEEPALIVE);
    } else {
      output.abort();
    }
  }

  /** Closes every client (the server is stopping); they reconnect to another replica. */
  void closeAll() {
    List<JobSubscriber> jobClients = new ArrayList<>();
    synchronized (this) {
      watches.values().forEach(watch -> jobClients.addAll(watch.clients));
    }
    jobClients.forEach(client -> client.output.abort());
    listClients.forEach(client -> client.output.abort());
  }

  /** A job's state apart from its progress: a change here is sent at once. */
  private static String shape(JobRecord row) {
    return row.status()
        + '|'
        + row.cancelRequestedAt()
        + '|'
        + row.completedAt()
        + '|'
        + row.failureReason()
        + '|'
        + row.errorMessage()
        + '|'
        + row.mlflowRunId()
        + '|'
        + row.artifacts()
        + '|'
        + row.finalMetrics()
        + '|'
        + row.trainingTimeSeconds()
        + '|'
        + row.attempt();
  }

  static boolean isTerminal(String status) {
    for (JobStatus known : JobStatus.values()) {
      if (known.wireName().equals(status)) {
        return known.isTerminal();
      }
    }
    return false;
  }

  private static HighWater advance(HighWater sent, List<StreamMessage> messages) {
    long event = sent.eventId();
    long metric = sent.metricId();
    for (StreamMessage message : messages) {
      event = Math.max(event, message.eventId());
      metric = Math.max(metric, message.metricId());
    }
    return new HighWater(event, metric);
  }

  private static Set<Long> drain(Set<Long> pending) {
    Set<Long> taken = new HashSet<>();
    for (Long id : pending) {
      if (pending.remove(id)) {
        taken.add(id);
      }
    }
    return taken;
  }

  /** Runs {@link #tick} on the given scheduler until it stops. */
  void runOn(ScheduledExecutorService scheduler) {
    scheduler.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }
}
