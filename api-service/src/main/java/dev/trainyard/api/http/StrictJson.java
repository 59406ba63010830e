package dev.trainyard.api.http;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Makes request parsing literal: unknown fields, {@code "5"} for a number, {@code 5} for a string,
 * {@code 2.5} for an integer and {@code true} for a number are all errors instead of being coerced
 * into something the caller did not send.
 *
 * <p>The parser takes standard JSON only: NaN and Infinity are not numbers (Jackson's default,
 * which the application keeps) and a key given twice is refused rather than the last one winning.
 * Every free-form object of a request (hyperparameters, metrics, event data, final_metrics,
 * artifacts) is a field of the body, so bounding the document's depth to one more than {@link
 * #MAX_FREE_FORM_DEPTH} bounds each of them: what is stored can always be written back, far from
 * Jackson's 1,000-level write limit, in any list that embeds it. The other per-object rules (finite
 * numbers, valid Unicode, size) are {@code jobs.FreeFormJson}'s.
 */
public final class StrictJson {
  /** How deep a free-form object may nest; the object itself is level 1. */
  public static final int MAX_FREE_FORM_DEPTH = 32;

  private StrictJson() {}

  public static ObjectMapper apply(ObjectMapper mapper) {
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_FREE_FORM_DEPTH + 1).build());
    mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    for (LogicalType numeric : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
      mapper.coercionConfigFor(numeric).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
      mapper
          .coercionConfigFor(numeric)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
      mapper
          .coercionConfigFor(numeric)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    return mapper;
  }
}
