package dev.trainyard.api.explain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.explain.Explanation.Step;
import dev.trainyard.api.jobs.JobView;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.jobs.EventRecord;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.workflows.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's statuses in order, from the {@code status_changed} events the workflow recorded (each
 * with its {@code to} and {@code reason}), starting with {@code pending} at submit. Each step lasts
 * until the next; the current one until now, except an end, which has no length.
 */
final class StatusTimeline {
  private StatusTimeline() {}

  static List<Step> of(JobRecord job, List<EventRecord> changes, JsonText json, Instant now) {
    List<String> statuses = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    statuses.add(JobStatus.PENDING.wireName());
    times.add(job.createdAt());
    reasons.add(null);
    for (EventRecord change : changes) {
      JsonNode data = json.read(change.data());
      String to = data == null ? null : data.path("to").asText(null);
      if (to == null) {
        continue; // not written by this version's job store; its message still lists it
      }
      statuses.add(to);
      times.add(change.createdAt());
      reasons.add(data.path("reason").asText(null));
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < statuses.size(); i++) {
      boolean current = i == statuses.size() - 1;
      boolean ended = current && JobStatus.fromWire(statuses.get(i)).isTerminal();
      Instant until = current ? now : times.get(i + 1);
      Double seconds = ended ? null : Duration.between(times.get(i), until).toMillis() / 1000.0;
      steps.add(
          new Step(statuses.get(i), JobView.iso(times.get(i)), seconds, current, reasons.get(i)));
    }
    return steps;
  }
}
