package dev.trainyard.store.access;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The projects table: the owners of jobs and datasets. */
@RegisterConstructorMapper(ProjectRecord.class)
public interface ProjectDao {
  /** A name that works as a path segment, an S3 key prefix and a Kubernetes label value. */
  String NAME_RULE = "[a-z0-9][a-z0-9-]{0,62}";

  /** Creates the project; false if one of that name exists already. */
  default boolean create(String name, String createdBy) {
    return insert(name, createdBy) == 1;
  }

  @SqlUpdate(
      "INSERT INTO projects (name, created_by) VALUES (:name, :createdBy)"
          + " ON CONFLICT (name) DO NOTHING")
  int insert(@Bind("name") String name, @Bind("createdBy") String createdBy);

  @SqlQuery("SELECT name, created_at, created_by FROM projects WHERE name = :name")
  Optional<ProjectRecord> find(@Bind("name") String name);

  @SqlQuery("SELECT name, created_at, created_by FROM projects ORDER BY name")
  List<ProjectRecord> all();
}
