package dev.trainyard.api.http;

/**
 * A job id as a path segment: canonical decimal only. Jersey would read {@code +1} and {@code 01}
 * as job 1 through {@code Long.valueOf}; with this template they match no route and are answered
 * 404 (and {@code 1;x=y} by {@link NoMatrixParametersFilter}). Nineteen digits past {@code
 * Long.MAX_VALUE} still match, and Jersey answers 404 when the {@code long} cannot hold them.
 */
public final class JobIdPath {
  /** The regular expression for a {@code @Path} template: {@code "{id: " + DIGITS + "}"}. */
  public static final String DIGITS = "[1-9][0-9]{0,18}";

  private JobIdPath() {}
}
