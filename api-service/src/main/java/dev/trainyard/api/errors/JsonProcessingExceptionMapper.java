package dev.trainyard.api.errors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.trainyard.api.http.StrictJson;
import dev.trainyard.api.jobs.FreeFormJson;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request bodies that are not the JSON we expect: broken syntax, a field of the wrong type, an
 * unknown field. Each becomes a 400 naming the field. Jackson failures while writing a reply are
 * our bug and go to the logged 500 path.
 */
public final class JsonProcessingExceptionMapper
    implements ExceptionMapper<JsonProcessingException> {
  private static final Logger LOG = LoggerFactory.getLogger(JsonProcessingExceptionMapper.class);
  private final UnexpectedExceptionMapper unexpected;

  public JsonProcessingExceptionMapper(UnexpectedExceptionMapper unexpected) {
    this.unexpected = unexpected;
  }

  @Override
  public Response toResponse(JsonProcessingException e) {
    ApiException refusal = causeOfType(e, ApiException.class);
    if (refusal != null) {
      // e.g. the body-size limit, tripped while Jackson was reading the stream
      return new ApiExceptionMapper().toResponse(refusal);
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      return fieldProblem(JsonFieldPaths.of(unknown), "is not a known field");
    }
    if (e instanceof InputCoercionException range && currentField(range) != null) {
      return fieldProblem(currentField(range), "is out of range");
    }
    StreamConstraintsException limit = causeOfType(e, StreamConstraintsException.class);
    if (limit != null) {
      return limitProblem(e, limit);
    }
    StreamReadException syntax = causeOfType(e, StreamReadException.class);
    Response nonStandard = syntax == null ? null : nonStandardJson(e, syntax);
    if (nonStandard != null) {
      return nonStandard;
    }
    if (e instanceof StreamReadException) {
      return Problems.response(400, "malformed JSON: " + e.getOriginalMessage());
    }
    if (e instanceof MismatchedInputException mismatch) {
      String field = JsonFieldPaths.of(mismatch);
      if (field.isEmpty()) {
        return Problems.response(400, "the request body must be a JSON object");
      }
      return fieldProblem(field, JsonFieldPaths.expectation(mismatch.getTargetType()));
    }
    if (e instanceof DatabindException && e instanceof JsonMappingException mapping) {
      // a parser failure Jackson wrapped with the field's path, or a value a creator rejected
      String field = JsonFieldPaths.of(mapping);
      LOG.debug("rejected body", e);
      if (field.isEmpty()) {
        return Problems.response(400, "the request body could not be read");
      }
      boolean range = causeOfType(e, InputCoercionException.class) != null;
      return fieldProblem(field, range ? "is out of range" : "is invalid");
    }
    return unexpected.toResponse(e);
  }

  /** A limit of the parser's (StrictJson): nesting, or a number, string or name too long. */
  private static Response limitProblem(
      JsonProcessingException e, StreamConstraintsException limit) {
    String field = e instanceof JsonMappingException mapping ? JsonFieldPaths.of(mapping) : "";
    field = JsonFieldPaths.field(field);
    boolean nesting = limit.getOriginalMessage().contains("nesting depth");
    if (field.isEmpty()) {
      return Problems.response(
          400,
          nesting
              ? "the request body must be nested at most "
                  + (StrictJson.MAX_FREE_FORM_DEPTH + 1)
                  + " levels deep"
              : "the request body has a value that is too long: " + limit.getOriginalMessage());
    }
    return fieldProblem(
        field,
        nesting
            ? "must be nested at most " + StrictJson.MAX_FREE_FORM_DEPTH + " levels deep"
            : "has a value that is too long");
  }

  /**
   * JSON that is not standard JSON, a duplicate key or a NaN or Infinity: named by where the parser
   * stood, and in {@code errors} by the body's own field that holds it. Null for anything else.
   */
  private static Response nonStandardJson(JsonProcessingException e, StreamReadException syntax) {
    String message = syntax.getOriginalMessage();
    boolean duplicate = message.startsWith("Duplicate field");
    if (!duplicate && !message.startsWith("Non-standard token")) {
      return null;
    }
    JsonParser parser = syntax.getProcessor();
    String path = parser == null ? "" : JsonFieldPaths.of(parser.getParsingContext());
    if (path.isEmpty() && e instanceof JsonMappingException mapping) {
      path = JsonFieldPaths.of(mapping);
    }
    if (path.isEmpty()) {
      return null;
    }
    String field = JsonFieldPaths.field(path);
    boolean nested = !field.equals(path);
    if (duplicate) {
      return Problems.response(
          400,
          path + " appears more than once",
          Map.of(field, nested ? "has a duplicate key" : "appears more than once"));
    }
    return Problems.response(
        400,
        path + " is not a JSON number (NaN and Infinity are not JSON)",
        Map.of(field, nested ? FreeFormJson.NOT_FINITE : "must be a finite JSON number"));
  }

  private static Response fieldProblem(String field, String reason) {
    return Problems.response(400, field + " " + reason, Map.of(field, reason));
  }

  private static <T extends Throwable> T causeOfType(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String currentField(InputCoercionException e) {
    Object processor = e.getProcessor();
    if (processor instanceof JsonParser parser && parser.getParsingContext() != null) {
      return parser.getParsingContext().getCurrentName();
    }
    return null;
  }
}
