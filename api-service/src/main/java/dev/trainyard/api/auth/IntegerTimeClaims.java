package dev.trainyard.api.auth;

import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.io.DeserializationException;
import io.jsonwebtoken.io.Deserializer;
import io.jsonwebtoken.jackson.io.JacksonDeserializer;
import java.io.Reader;
import java.util.List;
import java.util.Map;

/**
 * Reads a token's JSON as jjwt's Jackson reader does, but refuses {@code iat}, {@code exp} or
 * {@code nbf} that is not an integer: jjwt would accept {@code "1700000000"} or {@code 1.7e9} and
 * turn them into a date, while the launcher only ever writes whole seconds (RFC 7519 NumericDate).
 * This is the one place the claims are still as sent; jjwt keeps only the converted date.
 */
final class IntegerTimeClaims implements Deserializer<Map<String, ?>> {
  private static final List<String> TIME_CLAIMS = List.of("iat", "exp", "nbf");
  private final Deserializer<Map<String, ?>> json = new JacksonDeserializer<>();

  @Override
  @SuppressWarnings(
      "deprecation") // jjwt still declares the byte[] form; it is checked the same way
  public Map<String, ?> deserialize(byte[] bytes) throws DeserializationException {
    return checked(json.deserialize(bytes));
  }

  @Override
  public Map<String, ?> deserialize(Reader reader) throws DeserializationException {
    return checked(json.deserialize(reader));
  }

  private static Map<String, ?> checked(Map<String, ?> claims) {
    for (String name : TIME_CLAIMS) {
      Object value = claims.get(name);
      if (value != null && !(value instanceof Integer || value instanceof Long)) {
        throw new MalformedJwtException(name + " is not an integer number of seconds");
      }
    }
    return claims;
  }
}
