package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.ExitCodes;

/**
 * The project a command works in when {@code --project} is not given: the key's own project (a
 * project key belongs to exactly one). A global admin key belongs to none, and guessing one for it
 * could put a job or a dataset where nobody meant it, so it must name the project.
 */
public final class ProjectDefault {
  private ProjectDefault() {}

  public static String resolve(ApiClient api, String given) {
    if (given != null) {
      return given;
    }
    JsonNode me = api.whoami();
    if (me.hasNonNull("project")) {
      return me.get("project").asText();
    }
    throw new CliException(
        "your key is a global admin key, which belongs to no project: name one with --project"
            + " (trainyard projects list shows them)",
        ExitCodes.USAGE);
  }
}
