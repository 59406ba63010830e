package dev.trainyard.api.jobs;

import dev.trainyard.api.errors.InvalidRequestException;
import dev.trainyard.store.access.ProjectDao;
import dev.trainyard.workflows.JobStatus;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which jobs a list or a list stream shows: the one owner of the filter rule, so the page and the
 * live updates beside it always agree. Every field is optional (null); a bad value is a 400 naming
 * the field, never ignored.
 *
 * @param status one of the six statuses, exactly
 * @param project a project id, exactly
 * @param model a model name, exactly
 * @param q free text: a job id (digits) or the start of a trace id, case-insensitive
 */
public record JobFilter(String status, String project, String model, String q) {
  public static final int MAX_QUERY_LENGTH = 100;
  private static final Pattern PROJECT = Pattern.compile(ProjectDao.NAME_RULE);
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern QUERY = Pattern.compile("[A-Za-z0-9-]{1," + MAX_QUERY_LENGTH + "}");
  private static final String STATUSES =
      Arrays.stream(JobStatus.values()).map(JobStatus::wireName).collect(Collectors.joining(", "));

  public static final JobFilter NONE = new JobFilter(null, null, null, null);

  public static JobFilter parse(String status, String project, String model, String q) {
    return new JobFilter(
        status(blankToNull(status)),
        checked(
            "project",
            blankToNull(project),
            PROJECT,
            "must be a project id (" + ProjectDao.NAME_RULE + ")"),
        checked(
            "model", blankToNull(model), MODEL, "must be a model name (letters, digits, . _ -)"),
        query(blankToNull(q)));
  }

  /** Whether the job passes every field that is set. */
  public boolean matches(JobView job) {
    return (status == null || status.equals(job.status()))
        && (project == null || project.equals(job.projectId()))
        && (model == null || model.equals(job.modelName()))
        && (q == null || matchesQuery(job.jobId(), job.traceId()));
  }

  /** The lower-cased trace-id prefix for SQL ({@code lower(trace_id) LIKE prefix || '%'}). */
  public String tracePrefix() {
    return q == null ? null : q.toLowerCase(Locale.ROOT);
  }

  /** The job id {@code q} names, when it is all digits (and fits a long); else null. */
  public Long queryJobId() {
    if (q == null || !q.chars().allMatch(Character::isDigit) || q.length() > 18) {
      return null;
    }
    return Long.parseLong(q);
  }

  private boolean matchesQuery(long jobId, String traceId) {
    Long id = queryJobId();
    return (id != null && id == jobId)
        || (traceId != null && traceId.toLowerCase(Locale.ROOT).startsWith(tracePrefix()));
  }

  private static String status(String value) {
    if (value == null) {
      return null;
    }
    for (JobStatus known : JobStatus.values()) {
      if (known.wireName().equals(value)) {
        return value;
      }
    }
    throw InvalidRequestException.field("status", "must be one of " + STATUSES);
  }

  private static String query(String value) {
    if (value != null && !QUERY.matcher(value).matches()) {
      throw InvalidRequestException.field(
          "q",
          "must be a job id or the start of a trace id: 1 to "
              + MAX_QUERY_LENGTH
              + " letters, digits or '-'");
    }
    return value;
  }

  private static String checked(String field, String value, Pattern rule, String reason) {
    if (value != null && !rule.matcher(value).matches()) {
      throw InvalidRequestException.field(field, reason);
    }
    return value;
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
