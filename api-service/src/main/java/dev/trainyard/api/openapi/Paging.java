package dev.trainyard.api.openapi;

import dev.trainyard.api.jobs.PageParams;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.IntegerSchema;
import java.math.BigDecimal;

/**
 * The paging parameters' shapes, shared by every list route. The routes read them as text and
 * answer 400 for a bad one ({@link PageParams}), so they stay strings in Java; here they are the
 * integers a client must send.
 */
public final class Paging {
  public static final String LIMIT = "#/components/schemas/Limit";
  public static final String CURSOR = "#/components/schemas/Cursor";

  private Paging() {}

  static void addTo(Components components) {
    components.addSchemas(
        "Limit",
        new IntegerSchema()
            .minimum(BigDecimal.ONE)
            .maximum(BigDecimal.valueOf(PageParams.MAX_LIMIT))
            .description("How many entries a page holds"));
    components.addSchemas(
        "Cursor",
        new IntegerSchema()
            .format("int64")
            .minimum(BigDecimal.ZERO)
            .description("An entry id from the previous page's next_before or next_after"));
  }
}
