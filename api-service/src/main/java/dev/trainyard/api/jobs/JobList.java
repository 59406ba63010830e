package dev.trainyard.api.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A page of jobs, newest first; pass {@code next_before} as {@code before} for the next page. */
public record JobList(
    @JsonProperty("jobs") List<JobView> jobs, @JsonProperty("next_before") Long nextBefore) {}
