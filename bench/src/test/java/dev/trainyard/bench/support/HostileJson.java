package dev.trainyard.bench.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON shapes of issue 12 as raw bytes, for a free-form object (hyperparameters, metrics, event
 * data, final metrics): nesting past any sane depth, numbers JSON does not have, strings that are
 * not Unicode, duplicate keys, wrong types, and the valid extremes that must be stored and served
 * back unchanged.
 */
public final class HostileJson {
  private HostileJson() {}

  /** A shape: must the API refuse it, or may it accept it (and then serve it back the same)? */
  public record Shape(String name, byte[] json, boolean mustRefuse) {
    public String text() {
      return new String(json, StandardCharsets.UTF_8);
    }
  }

  /** Shapes for the value of a free-form object field. */
  public static List<Shape> freeFormObjects() {
    List<Shape> shapes = new ArrayList<>();
    shapes.add(refused("object nested 998 deep", nested(998)));
    shapes.add(refused("object nested 999 deep", nested(999)));
    shapes.add(refused("array nested 998 deep", "{\"a\":" + arrays(997) + "}"));
    shapes.add(refused("NaN", "{\"x\":NaN}"));
    shapes.add(refused("Infinity", "{\"x\":Infinity}"));
    shapes.add(refused("-Infinity", "{\"x\":-Infinity}"));
    shapes.add(refused("1e400", "{\"x\":1e400}"));
    shapes.add(refused("-1e400", "{\"x\":-1e400}"));
    shapes.add(refused("NaN in an array", "{\"x\":[1,NaN]}"));
    shapes.add(refused("lone high surrogate \\ud800", "{\"x\":\"\\ud800\"}"));
    shapes.add(refused("lone low surrogate \\udc00", "{\"x\":\"a\\udc00b\"}"));
    shapes.add(refused("surrogates reversed \\udc00\\ud800", "{\"x\":\"\\udc00\\ud800\"}"));
    shapes.add(refused("lone surrogate in a key", "{\"\\ud800\":1}"));
    shapes.add(refusedBytes("invalid UTF-8 byte 0xff", "{\"x\":\"a", new byte[] {(byte) 0xff}));
    shapes.add(
        refusedBytes(
            "UTF-8-encoded surrogate ED A0 80",
            "{\"x\":\"",
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}));
    shapes.add(
        refusedBytes("overlong UTF-8 C0 AF", "{\"x\":\"", new byte[] {(byte) 0xc0, (byte) 0xaf}));
    shapes.add(refused("duplicate keys", "{\"x\":1,\"x\":2}"));
    shapes.add(refused("duplicate keys one level down", "{\"a\":{\"x\":1,\"x\":2}}"));
    shapes.add(refused("a string, not an object", "\"lr=0.1\""));
    shapes.add(refused("an array, not an object", "[1,2]"));
    shapes.add(refused("a number, not an object", "1"));
    shapes.add(refused("true, not an object", "true"));
    // Valid JSON: the API may accept these, and then must serve them back unchanged.
    shapes.add(accepted("object nested 20 deep", nested(20)));
    shapes.add(accepted("object nested 31 deep", nested(31)));
    shapes.add(accepted("1e308", "{\"x\":1e308}"));
    shapes.add(accepted("-0.0 and 5e-324", "{\"x\":-0.0,\"y\":5e-324}"));
    shapes.add(accepted("2^63", "{\"x\":9223372036854775808}"));
    shapes.add(accepted("surrogate pair (emoji)", "{\"x\":\"\\ud83d\\ude00\"}"));
    shapes.add(accepted("U+0000", "{\"x\":\"a\\u0000b\"}"));
    shapes.add(accepted("bidi override and CR/LF/ESC", "{\"x\":\"\\u202e\\r\\n\\u001b[31m\"}"));
    shapes.add(accepted("empty key", "{\"\":1}"));
    shapes.add(accepted("10,000-character string", "{\"x\":\"" + "s".repeat(10_000) + "\"}"));
    shapes.add(accepted("null", "null"));
    return shapes;
  }

  /** {"a":{"a":...1...}} with {@code levels} objects. */
  public static String nested(int levels) {
    return "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
  }

  /** [[...1...]] with {@code levels} arrays. */
  public static String arrays(int levels) {
    return "[".repeat(levels) + "1" + "]".repeat(levels);
  }

  public static Shape refused(String name, String json) {
    return new Shape(name, json.getBytes(StandardCharsets.UTF_8), true);
  }

  public static Shape accepted(String name, String json) {
    return new Shape(name, json.getBytes(StandardCharsets.UTF_8), false);
  }

  /** {@code prefix}, the raw bytes, then the string and object closed. */
  private static Shape refusedBytes(String name, String prefix, byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(raw);
    out.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
    return new Shape(name, out.toByteArray(), true);
  }

  /** {@code template} (valid JSON holding the string "@@") with "@@" replaced by {@code value}. */
  public static byte[] place(String template, byte[] value) {
    int at = template.indexOf("\"@@\"");
    if (at < 0) {
      throw new IllegalArgumentException("no \"@@\" in " + template);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(template.substring(0, at).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(value);
    out.writeBytes(template.substring(at + 4).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
