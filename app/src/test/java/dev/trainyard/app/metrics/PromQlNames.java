package dev.trainyard.app.metrics;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, found the way PromQL's grammar tells them apart:
 * after string literals, label matchers ({@code {...}}), range and subquery brackets ({@code
 * [5m]}), grouping clauses ({@code by (...)}) and Grafana's {@code $variables} are taken out, an
 * identifier followed by {@code (} is a function or aggregation, a keyword is a keyword, a number
 * is a number, and every other identifier is a metric name.
 */
final class PromQlNames {
  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*\\}");
  private static final Pattern RANGES = Pattern.compile("\\[[^\\[\\]]*\\]");
  private static final Pattern GROUPING =
      Pattern.compile(
          "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern VARIABLES = Pattern.compile("\\$\\{?\\w+\\}?");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w.])([A-Za-z_:][A-Za-z0-9_:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan",
          "e");

  private static final Pattern SELECTOR =
      Pattern.compile("(?<![\\w.])([A-Za-z_:][A-Za-z0-9_:]*)\\s*\\{([^{}]*)\\}");
  private static final Pattern JOB_MATCHER = Pattern.compile("\\bjob\\s*(=~?)\\s*\"([^\"]*)\"");

  private PromQlNames() {}

  /**
   * The scrape jobs each metric is selected from, where a selector names them ({@code
   * name{job="x"}} or {@code job=~"x|y"}): such a metric must be served by that job's process.
   */
  static Map<String, Set<String>> jobs(String expression) {
    Map<String, Set<String>> jobs = new TreeMap<>();
    Matcher selector = SELECTOR.matcher(expression);
    while (selector.find()) {
      Matcher job = JOB_MATCHER.matcher(selector.group(2));
      if (job.find()) {
        Set<String> named = jobs.computeIfAbsent(selector.group(1), k -> new TreeSet<>());
        named.addAll(
            job.group(1).equals("=~") ? List.of(job.group(2).split("\\|")) : List.of(job.group(2)));
      }
    }
    return jobs;
  }

  static Set<String> of(String expression) {
    String rest = STRINGS.matcher(expression).replaceAll(" ");
    rest = VARIABLES.matcher(rest).replaceAll(" 1 ");
    rest = MATCHERS.matcher(rest).replaceAll(" ");
    rest = RANGES.matcher(rest).replaceAll(" ");
    rest = GROUPING.matcher(rest).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher identifier = IDENTIFIER.matcher(rest);
    while (identifier.find()) {
      String name = identifier.group(1);
      boolean call = identifier.group(2) != null;
      if (!call && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        names.add(name);
      }
    }
    return names;
  }
}
