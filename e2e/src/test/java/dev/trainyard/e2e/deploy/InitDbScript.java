package dev.trainyard.e2e.deploy;

import dev.trainyard.e2e.support.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker/postgres/initdb/10-trainyard.sh, as the postgres image runs it on an empty data folder:
 * its SQL with the psql variables ({@code -v name="$VAR"}) filled from the postgres service's
 * environment. Only that script's form is understood (one psql heredoc).
 */
final class InitDbScript {
  static final String FILE = "docker/postgres/initdb/10-trainyard.sh";
  private static final Pattern VARIABLE = Pattern.compile("-v\\s+(\\w+)=\"\\$(\\w+)\"");

  private InitDbScript() {}

  static List<String> statements(Map<String, String> postgresEnvironment) throws IOException {
    String script = Files.readString(Repository.file(FILE));
    Map<String, String> values = new LinkedHashMap<>();
    Matcher v = VARIABLE.matcher(script);
    while (v.find()) {
      String value = postgresEnvironment.get(v.group(2));
      if (value == null) {
        throw new AssertionError(
            FILE + " reads $" + v.group(2) + ", which the postgres service lacks");
      }
      values.put(v.group(1), value);
    }
    int start = script.indexOf("<<'SQL'\n");
    int end = script.indexOf("\nSQL", start);
    String sql = script.substring(start + "<<'SQL'\n".length(), end);
    for (Map.Entry<String, String> value : values.entrySet()) {
      sql =
          sql.replace(":'" + value.getKey() + "'", "'" + value.getValue().replace("'", "''") + "'");
    }
    List<String> statements = new ArrayList<>();
    for (String statement : sql.split(";")) {
      if (!statement.isBlank()) {
        statements.add(statement.strip());
      }
    }
    return statements;
  }
}
