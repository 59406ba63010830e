package dev.trainyard.bench;

import java.util.List;
import java.util.Random;

/** Ways to break a valid JSON body: syntax, types, sizes, nesting, encodings. */
final class BodyMutations {
  private static final List<String> WRONG_VALUES =
      List.of(
          "\"abc\"",
          "-1",
          "1e309",
          "NaN",
          "null",
          "[]",
          "{}",
          "true",
          "9223372036854775808",
          "\"\\u0000\"",
          "\"" + "x".repeat(5000) + "\"",
          "-0.0",
          "1.5",
          "\"2026-13-45\"",
          "{\"$ne\":1}");

  private BodyMutations() {}

  static String mutate(Random random, String valid, int hugeBytes) {
    return switch (random.nextInt(14)) {
      case 0 -> valid.substring(0, random.nextInt(Math.max(1, valid.length()))); // truncated
      case 1 -> ""; // empty
      case 2 -> randomBytes(random, 1 + random.nextInt(200)); // garbage
      case 3 -> replaceAValue(random, valid); // wrong type
      case 4 -> replaceAValue(random, replaceAValue(random, valid)); // two of them
      case 5 ->
          "{\"" + "k".repeat(random.nextInt(300)) + "\":" + pick(random) + "," + valid.substring(1);
      case 6 -> "[".repeat(5000 + random.nextInt(50_000)) + "]".repeat(10); // deep nesting
      case 7 ->
          "{\"pad\":\"" + "p".repeat(hugeBytes) + "\"," + valid.substring(1); // over the limit
      case 8 -> "[" + valid + "]"; // array, not object
      case 9 -> valid.replace("\"trace_id\":\"", "\"trace_id\":\"x"); // wrong trace id
      case 10 -> valid.replace("}", ",}"); // trailing comma
      case 11 -> valid + valid; // two documents
      case 12 ->
          valid.replaceFirst(
              "\"[a-z_]+\":",
              java.util.regex.Matcher.quoteReplacement("\"\uD83D\uDE00\u202E\":")); // odd key
      default -> dropAField(random, valid); // missing field
    };
  }

  private static String pick(Random random) {
    return WRONG_VALUES.get(random.nextInt(WRONG_VALUES.size()));
  }

  private static String replaceAValue(Random random, String json) {
    // values follow ':' up to ',' or '}' in these flat-ish bodies; replace one of them
    List<Integer> colons = new java.util.ArrayList<>();
    for (int i = 0; i < json.length(); i++) {
      if (json.charAt(i) == ':') {
        colons.add(i);
      }
    }
    if (colons.isEmpty()) {
      return json;
    }
    int at = colons.get(random.nextInt(colons.size()));
    int end = at + 1;
    int depth = 0;
    boolean inString = false;
    while (end < json.length()) {
      char c = json.charAt(end);
      if (c == '"' && json.charAt(end - 1) != '\\') {
        inString = !inString;
      } else if (!inString && (c == '{' || c == '[')) {
        depth++;
      } else if (!inString && (c == '}' || c == ']')) {
        if (depth == 0) {
          break;
        }
        depth--;
      } else if (!inString && depth == 0 && c == ',') {
        break;
      }
      end++;
    }
    return json.substring(0, at + 1) + pick(random) + json.substring(end);
  }

  private static String dropAField(Random random, String json) {
    String[] parts = json.substring(1, json.length() - 1).split(",\"");
    if (parts.length < 2) {
      return "{}";
    }
    int drop = random.nextInt(parts.length);
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < parts.length; i++) {
      if (i != drop) {
        out.append(out.length() > 1 ? ",\"" : "")
            .append(i == 0 || out.length() > 1 ? parts[i] : parts[i]);
      }
    }
    String result = out.append('}').toString();
    return result.startsWith("{\"") || result.equals("{}") ? result : "{\"" + result.substring(1);
  }

  private static String randomBytes(Random random, int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append((char) random.nextInt(0x3000));
    }
    return out.toString();
  }
}
