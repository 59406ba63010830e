package dev.trainyard.api.errors;

/** No job with this id. */
public final class JobNotFoundException extends ApiException {
  public JobNotFoundException(long jobId) {
    super(404, "job " + jobId + " not found");
  }
}
