package dev.trainyard.api.streams;

import dev.trainyard.api.jobs.EventView;
import dev.trainyard.api.jobs.JobView;
import dev.trainyard.api.jobs.MetricView;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.changes.JobChangeDao;
import dev.trainyard.store.changes.JobChangeDao.HighWater;
import dev.trainyard.store.changes.JobChangeDao.MetricRow;
import dev.trainyard.store.changes.JobChanges;
import dev.trainyard.store.jobs.EventRecord;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.workflows.JobStatus;
import java.time.Clock;
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
  static final long TICK_MS = 250;
  static final int LIST_FLUSH_TICKS = 4;
  static final long KEEPALIVE_MS = 15_000;

  /** Rows per job and statement; a job with more is read again on the next tick. */
  static final int PAGE = 500;

  private static final Logger log = LoggerFactory.getLogger(JobStreamHub.class);

  private final JobChangeDao changes;
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

    Watch(HighWater sent) {
      this.sent = sent;
    }
  }

  JobStreamHub(Jdbi jdbi, JsonText json, Clock clock) {
    this.changes = jdbi.onDemand(JobChangeDao.class);
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
    if (!watchesEmpty()) {
      for (Long id : announced.jobIds()) {
        if (isWatched(id)) {
          pendingJobs.add(id);
        }
      }
    }
    if (!listClients.isEmpty()) {
      pendingList.addAll(announced.jobIds());
    }
  }

  private synchronized boolean watchesEmpty() {
    return watches.isEmpty();
  }

  private synchronized boolean isWatched(long jobId) {
    return watches.containsKey(jobId);
  }

  /**
   * Starts watching for this client before its catch-up reads the database, so anything committed
   * after that read reaches it live (and anything both ways is skipped by id).
   */
  void watch(JobSubscriber client) {
    synchronized (this) {
      Watch watch = watches.get(client.jobId);
      if (watch == null) {
        watch = new Watch(changes.highWater(client.jobId));
        watches.put(client.jobId, watch);
      }
      watch.clients.add(client);
    }
  }

  synchronized void unwatch(JobSubscriber client) {
    Watch watch = watches.get(client.jobId);
    if (watch != null) {
      watch.clients.remove(client);
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
      if (++ticks % LIST_FLUSH_TICKS == 0 || everything) {
        flushList(rows, everything, readAt);
      }
      long now = clock.millis();
      if (now - lastKeepaliveMs >= KEEPALIVE_MS) {
        lastKeepaliveMs = now;
        keepalive(clock.instant());
      }
    } catch (RuntimeException e) {
      // The database may be away: what this round took is lost, so the next one reads everything.
      everythingPending = true;
      log.warn("stream round failed ({}); retrying", e.toString());
    }
  }

  private Map<Long, JobRecord> deliverJobs(boolean everything) {
    Map<Long, Watch> changed = new LinkedHashMap<>();
    synchronized (this) {
      Set<Long> ids = everything ? new HashSet<>(watches.keySet()) : drain(pendingJobs);
      for (Long id : ids) {
        Watch watch = watches.get(id);
        if (watch != null) {
          changed.put(id, watch);
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
    // Events and metrics before the row: a row read last is at least as new as what they show.
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
    for (JobRecord row : changes.jobs(ids)) {
      rows.put(row.id(), row);
    }
    for (long id : ids) {
      Watch watch = changed.get(id);
      List<StreamMessage> out = messages.getOrDefault(id, new ArrayList<>());
      int[] count = counts.getOrDefault(id, new int[2]);
      boolean more = count[0] >= PAGE || count[1] >= PAGE;
      JobRecord row = rows.get(id);
      if (row != null) {
        out.add(StreamMessage.job(json.write(JobView.of(row, json))));
        if (!more && isTerminal(row.status())) {
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

  private void keepalive(Instant now) {
    List<JobSubscriber> jobClients = new ArrayList<>();
    synchronized (this) {
      watches.values().forEach(watch -> jobClients.addAll(watch.clients));
    }
    for (JobSubscriber client : jobClients) {
      keepOrClose(client.output, now, client.expiresAt);
    }
    for (ListSubscriber client : listClients) {
      keepOrClose(client.output, now, client.caller.expiresAt());
    }
  }

  private static void keepOrClose(StreamOutput output, Instant now, Instant expiresAt) {
    if (expiresAt != null && !now.isBefore(expiresAt)) {
      output.abort(); // the key expired: the client must come back with a valid one
    } else {
      output.offer(SseFrames.KEEPALIVE);
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
