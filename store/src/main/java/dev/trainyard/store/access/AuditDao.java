package dev.trainyard.store.access;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The audit_log table: every state-changing user action, with the key id that did it. */
@RegisterConstructorMapper(AuditRecord.class)
public interface AuditDao {
  /**
   * @param detail JSON text or null
   */
  @SqlUpdate(
      "INSERT INTO audit_log (actor, action, project, target, detail)"
          + " VALUES (:actor, :action, :project, :target, CAST(:detail AS jsonb))")
  void record(
      @Bind("actor") String actor,
      @Bind("action") String action,
      @Bind("project") String project,
      @Bind("target") String target,
      @Bind("detail") String detail);

  /** Newest first, below {@code before} (an id; null for the newest), in one project or all. */
  @SqlQuery(
      "SELECT id, at, actor, action, project, target, detail::text FROM audit_log"
          + " WHERE (CAST(:project AS text) IS NULL OR project = :project)"
          + " AND (CAST(:before AS bigint) IS NULL OR id < :before)"
          + " ORDER BY id DESC LIMIT :limit")
  List<AuditRecord> page(
      @Bind("project") String project, @Bind("before") Long before, @Bind("limit") int limit);
}
