package dev.trainyard.api.access;

import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.errors.ApiException;
import dev.trainyard.api.errors.JobNotFoundException;
import dev.trainyard.store.access.ProjectDao;
import dev.trainyard.store.access.ProjectRecord;
import dev.trainyard.store.jobs.JobDao;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Where a key may look: its own project, or every project for a global admin. Whatever lies in a
 * project the key cannot see is answered exactly like something that does not exist (404), so a key
 * learns nothing about other projects, not even their names.
 */
public final class ProjectAccess {
  private static final Pattern NAME = Pattern.compile(ProjectDao.NAME_RULE);
  private final Jdbi jdbi;

  public ProjectAccess(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * The project, if it exists and the key may see it; else 404. A name no project can have is not
   * looked up: PostgreSQL refuses some text outright (a NUL), which would be a 500.
   */
  public ProjectRecord requireProject(UserPrincipal caller, String project) {
    if (project != null && NAME.matcher(project).matches() && caller.canSee(project)) {
      var found = jdbi.withExtension(ProjectDao.class, projects -> projects.find(project));
      if (found.isPresent()) {
        return found.get();
      }
    }
    throw notFound(project);
  }

  /** Job {@code jobId}'s project, if the job exists and the key may see it; else 404. */
  public String requireJob(UserPrincipal caller, long jobId) {
    String project =
        jdbi.withExtension(JobDao.class, jobs -> jobs.projectOf(jobId))
            .orElseThrow(() -> new JobNotFoundException(jobId));
    requireVisible(caller, project, jobId);
    return project;
  }

  /** For a job already read: 404 unless the key may see its project. */
  public static void requireVisible(UserPrincipal caller, String project, long jobId) {
    if (!caller.canSee(project)) {
      throw new JobNotFoundException(jobId);
    }
  }

  static ApiException notFound(String project) {
    return new ApiException(
        404,
        "project '"
            + project
            + "' not found (or not visible to this key); `trainyard projects list` shows yours");
  }
}
