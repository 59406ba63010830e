package dev.trainyard.api.openapi;

import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;

/**
 * The groups Swagger UI shows the routes in, in this order; resources name theirs with
 * {@code @Tag}.
 */
public final class Tags {
  public static final String JOBS = "jobs";
  public static final String DATASETS = "datasets";
  public static final String ACCESS = "access";
  public static final String CALLBACKS = "trainer callbacks";

  private Tags() {}

  static List<Tag> all() {
    return List.of(
        tag(JOBS, "Submit, list, inspect and cancel training jobs; their logs and artifacts"),
        tag(DATASETS, "A project's training data, as zip archives"),
        tag(ACCESS, "Projects, API keys, the audit log, and who a key is"),
        tag(
            CALLBACKS,
            "What the trainer reports about its job, with the job's callback token (on the"
                + " callback port when callbacks.port is set)"));
  }

  private static Tag tag(String name, String description) {
    return new Tag().name(name).description(description);
  }
}
