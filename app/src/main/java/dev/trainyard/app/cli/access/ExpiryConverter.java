package dev.trainyard.app.cli.access;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --expires-in}: a number and a unit ({@code 90m}, {@code 12h}, {@code 30d}, {@code 2w}; a
 * bare number is seconds), as seconds for the API's {@code expires_in_seconds}.
 */
public final class ExpiryConverter implements ITypeConverter<Long> {
  private static final Pattern SHAPE = Pattern.compile("([0-9]{1,9})\\s*([smhdw]?)");

  @Override
  public Long convert(String value) {
    Matcher matcher = SHAPE.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration: write a number and s, m, h, d or w (e.g. 30d)");
    }
    long amount = Long.parseLong(matcher.group(1));
    long unit =
        switch (matcher.group(2)) {
          case "m" -> 60;
          case "h" -> 3_600;
          case "d" -> 86_400;
          case "w" -> 604_800;
          default -> 1;
        };
    if (amount == 0) {
      throw new TypeConversionException("a key must stay valid for some time: " + value);
    }
    return amount * unit;
  }
}
