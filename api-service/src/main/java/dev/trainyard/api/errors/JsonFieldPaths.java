package dev.trainyard.api.errors;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.Collection;
import java.util.Map;

/** Names the offending field of a Jackson failure the way the caller wrote it: {@code a.b[2]}. */
final class JsonFieldPaths {
  private JsonFieldPaths() {}

  static String of(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** Where a parser stood when it failed, e.g. on a duplicate key or a NaN. */
  static String of(JsonStreamContext context) {
    String path = "";
    for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
      if (at.inObject() && at.getCurrentName() != null) {
        path = at.getCurrentName() + (path.isEmpty() || path.startsWith("[") ? "" : ".") + path;
      } else if (at.inArray()) {
        path = "[" + Math.max(0, at.getCurrentIndex()) + "]" + path;
      }
    }
    return path;
  }

  /** The body's own field a path starts with: {@code a} of {@code a.b[2]}. */
  static String field(String path) {
    int end = path.length();
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '.' || path.charAt(i) == '[') {
        end = i;
        break;
      }
    }
    return path.substring(0, end);
  }

  static String expectation(Class<?> target) {
    if (target == null) {
      return "has the wrong type";
    }
    if (target == Integer.class
        || target == int.class
        || target == Long.class
        || target == long.class) {
      return "must be an integer";
    }
    if (Number.class.isAssignableFrom(target) || target == double.class || target == float.class) {
      return "must be a number";
    }
    if (target == String.class) {
      return "must be a string";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "must be a boolean";
    }
    if (Map.class.isAssignableFrom(target)) {
      return "must be a JSON object";
    }
    if (Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "must be a JSON array";
    }
    if (target.isRecord()) {
      return "must be a JSON object";
    }
    return "has the wrong type";
  }
}
