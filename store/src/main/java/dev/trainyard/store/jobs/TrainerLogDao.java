package dev.trainyard.store.jobs;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Where a job's trainer log is ({@code training_jobs.trainer_log}), for the logs endpoint. */
public interface TrainerLogDao {
  /** The job's trace id, its log's location (null until the launcher records it) and status. */
  record TrainerLogRow(String traceId, String trainerLog, String status) {}

  @SqlQuery("SELECT trace_id, trainer_log, status FROM training_jobs WHERE id = :id")
  @RegisterConstructorMapper(TrainerLogRow.class)
  Optional<TrainerLogRow> find(@Bind("id") long id);
}
