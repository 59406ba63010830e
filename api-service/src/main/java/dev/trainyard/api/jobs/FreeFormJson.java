package dev.trainyard.api.jobs;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The rules for what a request may store that the API does not interpret: the free-form objects
 * (hyperparameters, metrics, event data, final_metrics, artifacts) and the contract's text fields.
 * What passes can be stored in PostgreSQL and written back as the same JSON in any list: no NUL
 * (PostgreSQL text cannot hold it), no unpaired surrogate (it is not Unicode, and the driver would
 * store it as "?"), no number beyond a double (Jackson reads 1e400 as Infinity, which JSON does not
 * have), and at most {@link #MAX_BYTES} as JSON, so a page of 500 jobs stays a few megabytes. The
 * parser has already refused NaN, Infinity, duplicate keys and nesting too deep ({@code
 * http.StrictJson}).
 */
public final class FreeFormJson {
  /** The largest free-form object, as its JSON text is served back. */
  public static final int MAX_BYTES = 16 * 1024;

  static final String NUL = "must not contain NUL characters";
  static final String UNPAIRED_SURROGATE = "must be valid Unicode (no unpaired surrogates)";
  public static final String NOT_FINITE = "must contain only finite JSON numbers";
  static final String TOO_LARGE = "must be at most " + MAX_BYTES + " bytes as JSON";

  private FreeFormJson() {}

  /** Adds the first rule {@code value}, a free-form object, breaks to {@code errors}. */
  public static void check(FieldErrors errors, String field, Map<String, ?> value) {
    if (value == null) {
      return;
    }
    Walk walk = new Walk();
    walk.value(value);
    if (walk.problem != null) {
      errors.add(field, walk.problem);
    } else if (walk.bytes > MAX_BYTES) {
      errors.add(field, TOO_LARGE);
    }
  }

  /** Adds the first rule a text field breaks (NUL, unpaired surrogate) to {@code errors}. */
  public static void checkText(FieldErrors errors, String field, String value) {
    if (value == null) {
      return;
    }
    Walk walk = new Walk();
    walk.text(value);
    if (walk.problem != null) {
      errors.add(field, walk.problem);
    }
  }

  /**
   * An upper bound of the value's size as the API writes it back: PostgreSQL's jsonb keeps numbers
   * as decimals without an exponent, so 1e308 comes back as 309 digits and is counted that way.
   * Past {@link #MAX_BYTES} the walk stops, so a larger value is only known to be larger.
   */
  public static long encodedSize(Object value) {
    Walk walk = new Walk();
    walk.value(value);
    return walk.bytes;
  }

  /** One pass over a value: its size so far and the first problem found. */
  private static final class Walk {
    long bytes;
    String problem;

    void value(Object value) {
      if (problem != null || bytes > MAX_BYTES) {
        return; // the answer is known; a huge object is not walked to its end
      }
      if (value instanceof String s) {
        text(s);
      } else if (value instanceof Map<?, ?> map) {
        bytes += 2 + Math.max(0, map.size() - 1);
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          text((String) entry.getKey());
          bytes += 1;
          value(entry.getValue());
        }
      } else if (value instanceof List<?> items) {
        bytes += 2 + Math.max(0, items.size() - 1);
        for (Object item : items) {
          value(item);
        }
      } else if (value instanceof Number number) {
        number(number);
      } else {
        bytes += 5; // true, false, null
      }
    }

    void number(Number number) {
      if (number instanceof Double || number instanceof Float) {
        double d = number.doubleValue();
        if (!Double.isFinite(d)) {
          problem = NOT_FINITE;
        } else {
          // sign, "0.", 17 significant digits, and one zero per power of ten away from 1
          bytes += d == 0 ? 4 : 24 + Math.abs(Math.getExponent(d)) * 302 / 1000;
        }
      } else if (number instanceof BigInteger || number instanceof BigDecimal) {
        if (!Double.isFinite(number.doubleValue())) {
          problem = NOT_FINITE;
        } else {
          bytes += number.toString().length() + 330; // a BigDecimal may lose its exponent too
        }
      } else {
        bytes += 20; // a long
      }
    }

    void text(String s) {
      bytes += 2;
      int length = s.length();
      for (int i = 0; i < length; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          bytes += c == 0 ? 0 : c < 0x20 ? 6 : c == '"' || c == '\\' ? 2 : 1;
          if (c == 0 && problem == null) {
            problem = NUL;
          }
        } else if (Character.isHighSurrogate(c)
            && i + 1 < length
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 4;
          i++;
        } else if (Character.isSurrogate(c)) {
          if (problem == null) {
            problem = UNPAIRED_SURROGATE;
          }
        } else {
          bytes += c < 0x800 ? 2 : 3;
        }
      }
    }
  }
}
