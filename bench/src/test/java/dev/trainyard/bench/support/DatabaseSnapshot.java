package dev.trainyard.bench.support;

import org.jdbi.v3.core.Jdbi;

/** A digest of every row of the tables a request could change: equal digests, no state change. */
public final class DatabaseSnapshot {
  private DatabaseSnapshot() {}

  public static String take(Jdbi jdbi) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT (SELECT md5(COALESCE(string_agg(t::text, '|' ORDER BY id), '')) FROM training_jobs t)"
                        + " || (SELECT md5(COALESCE(string_agg(e::text, '|' ORDER BY id), '')) FROM job_events e)"
                        + " || (SELECT md5(COALESCE(string_agg(m::text, '|' ORDER BY id), '')) FROM training_metrics m)")
                .mapTo(String.class)
                .one());
  }
}
