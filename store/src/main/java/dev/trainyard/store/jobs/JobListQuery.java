package dev.trainyard.store.jobs;

/**
 * One page of the job list, as {@link JobDao#list} reads it: every field but {@code limit} is
 * optional (null). The API's {@code JobFilter} fills it; the rule lives there, this only carries it
 * to SQL.
 *
 * @param status one status, exactly
 * @param project one project id, exactly (null = every project; the caller decides what the asker
 *     may see)
 * @param model one model name, exactly
 * @param jobId with {@code tracePrefix}: a job matches when its id is this one...
 * @param tracePrefix ...or its lower-cased trace id starts with this (lower case, letters, digits
 *     and '-' only)
 * @param before only ids below this (the paging cursor)
 * @param limit at most this many rows, newest first
 */
public record JobListQuery(
    String status,
    String project,
    String model,
    Long jobId,
    String tracePrefix,
    Long before,
    int limit) {

  /**
   * The first string after every string that starts with {@code tracePrefix}, in byte order
   * (COLLATE "C"): the prefix with its last character moved up by one. Together with {@code >=
   * tracePrefix} this is a range a B-tree index answers even in a generic (parameter-blind) plan,
   * where {@code LIKE :p || '%'} could not use one.
   */
  public String traceUpperBound() {
    if (tracePrefix == null || tracePrefix.isEmpty()) {
      return null;
    }
    int last = tracePrefix.length() - 1;
    return tracePrefix.substring(0, last) + (char) (tracePrefix.charAt(last) + 1);
  }
}
