package dev.trainyard.api.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A page of events, oldest first; pass {@code next_after} as {@code after} for the next page. */
public record EventList(
    @JsonProperty("events") List<EventView> events, @JsonProperty("next_after") Long nextAfter) {}
