package dev.trainyard.api.dashboard;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Pattern;

/**
 * The {@code dashboard:} block: where the services the dashboard links to live. Both are optional;
 * a job page shows a link only for the ones set. Read by {@link DashboardConfigResource}.
 */
public class DashboardFactory {
  /** http(s), no query or fragment: the dashboard appends paths to it. */
  static final String BASE_URL = "^https?://[^\\s?#]+$";

  /** The Temporal web UI, e.g. {@code http://localhost:8233}; job links open the workflow there. */
  @Pattern(regexp = BASE_URL, message = "must be an http(s) URL without query or fragment")
  private String temporalUiUrl;

  /** The MLflow tracking server's UI, e.g. {@code http://localhost:5000}; links open the run. */
  @Pattern(regexp = BASE_URL, message = "must be an http(s) URL without query or fragment")
  private String mlflowUrl;

  @JsonProperty
  public String getTemporalUiUrl() {
    return temporalUiUrl;
  }

  @JsonProperty
  public void setTemporalUiUrl(String temporalUiUrl) {
    this.temporalUiUrl = blankToNull(temporalUiUrl);
  }

  @JsonProperty
  public String getMlflowUrl() {
    return mlflowUrl;
  }

  @JsonProperty
  public void setMlflowUrl(String mlflowUrl) {
    this.mlflowUrl = blankToNull(mlflowUrl);
  }

  // ${TEMPORAL_UI_URL:-} substitutes to "", which means "not set", not "invalid"
  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip().replaceAll("/+$", "");
  }
}
