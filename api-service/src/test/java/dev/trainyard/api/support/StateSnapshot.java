package dev.trainyard.api.support;

import io.temporal.api.enums.v1.EventType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;

/**
 * Everything a user request could change, to show that a refused one changed nothing: every row of
 * the job, access and audit tables, the workflows started and every signal they received, and every
 * object in storage (by ETag and size, which change with the bytes).
 *
 * <p>A key that authenticated but was refused (403, 404) was still used: its {@code last_used_at}
 * may move (at most once a minute), so that one column of that one key is left out when {@code
 * usedKeyId} names it. Every other column of every key, that one's included, must stay.
 */
public record StateSnapshot(
    Map<String, String> tables,
    Set<String> started,
    Map<String, List<Object>> signals,
    Map<String, Long> signalsInHistory,
    Map<String, String> objects) {

  private static final Map<String, String> TABLES = new LinkedHashMap<>();

  static {
    TABLES.put("training_jobs", "id");
    TABLES.put("job_events", "id");
    TABLES.put("training_metrics", "id");
    TABLES.put("projects", "name");
    TABLES.put("audit_log", "id");
  }

  /**
   * @param s3 null when the test has no storage
   * @param usedKeyId the key id the request presented, or null
   * @param workflowIds workflows whose signals are also counted in Temporal's own history, which
   *     has them as soon as the signal call returns (the stand-in workflow records them later)
   */
  public static StateSnapshot capture(
      Jdbi jdbi, S3Objects s3, String usedKeyId, String... workflowIds) {
    Map<String, String> tables = new LinkedHashMap<>();
    jdbi.useHandle(
        h -> {
          TABLES.forEach(
              (table, order) ->
                  tables.put(
                      table,
                      h.createQuery(
                              "SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t."
                                  + order
                                  + "), '[]')::text FROM "
                                  + table
                                  + " t")
                          .mapTo(String.class)
                          .one()));
          tables.put(
              "api_keys",
              h.createQuery(
                      "SELECT coalesce(jsonb_agg(CASE WHEN t.key_id = :used"
                          + " THEN to_jsonb(t) - 'last_used_at' ELSE to_jsonb(t) END"
                          + " ORDER BY t.key_id), '[]')::text FROM api_keys t")
                  .bind("used", usedKeyId == null ? "" : usedKeyId)
                  .mapTo(String.class)
                  .one());
        });
    Map<String, List<Object>> signals = new TreeMap<>();
    RecordingWorkflow.SIGNALS.forEach((id, list) -> signals.put(id, List.copyOf(list)));
    Map<String, Long> inHistory = new TreeMap<>();
    for (String id : workflowIds) {
      inHistory.put(
          id,
          TestStack.get().temporal.getWorkflowClient().fetchHistory(id).getEvents().stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
              .count());
    }
    return new StateSnapshot(
        tables,
        new TreeSet<>(RecordingWorkflow.STARTED.keySet()),
        signals,
        inHistory,
        s3 == null ? Map.of() : s3.listing());
  }

  /** What differs from {@code before}, one line per table, workflow or object; empty if nothing. */
  public List<String> changesSince(StateSnapshot before) {
    List<String> changes = new ArrayList<>();
    tables.forEach(
        (table, rows) -> {
          if (!rows.equals(before.tables.get(table))) {
            changes.add("table " + table);
          }
        });
    if (!started.equals(before.started)) {
      Set<String> added = new TreeSet<>(started);
      added.removeAll(before.started);
      changes.add("workflows started: " + added);
    }
    Set<String> workflows = new TreeSet<>(signals.keySet());
    workflows.addAll(before.signals.keySet());
    for (String id : workflows) {
      if (!Objects.equals(signals.get(id), before.signals.get(id))) {
        changes.add("signals of " + id + ": " + before.signals.get(id) + " -> " + signals.get(id));
      }
    }
    if (!signalsInHistory.equals(before.signalsInHistory)) {
      changes.add("signals in history: " + before.signalsInHistory + " -> " + signalsInHistory);
    }
    Set<String> keys = new TreeSet<>(objects.keySet());
    keys.addAll(before.objects.keySet());
    for (String key : keys) {
      if (!Objects.equals(objects.get(key), before.objects.get(key))) {
        changes.add("object " + key + ": " + before.objects.get(key) + " -> " + objects.get(key));
      }
    }
    return changes;
  }
}
