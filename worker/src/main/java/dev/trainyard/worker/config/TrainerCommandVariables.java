package dev.trainyard.worker.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trainer commands given in the environment, read the same way by the worker's configuration and by
 * the dev stack: {@code TRAINYARD_TRAINER_COMMAND_<FRAMEWORK>} is the trainer of one framework (the
 * suffix lower-cased: {@code _ULTRALYTICS} for "ultralytics"), and {@code
 * TRAINYARD_TRAINER_COMMAND} the trainer of every framework that has none of its own. Each is split
 * on whitespace; an empty one counts as unset.
 */
public final class TrainerCommandVariables {
  public static final String EVERY_OTHER_FRAMEWORK = "TRAINYARD_TRAINER_COMMAND";
  public static final String PER_FRAMEWORK_PREFIX = EVERY_OTHER_FRAMEWORK + "_";

  private static final Pattern PER_FRAMEWORK =
      Pattern.compile(Pattern.quote(PER_FRAMEWORK_PREFIX) + "([A-Za-z0-9_]+)");

  private TrainerCommandVariables() {}

  /** The commands of named frameworks, by framework name. */
  public static Map<String, List<String>> perFramework(Map<String, String> environment) {
    Map<String, List<String>> commands = new LinkedHashMap<>();
    environment.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            variable -> {
              Matcher name = PER_FRAMEWORK.matcher(variable.getKey());
              if (name.matches()) {
                argv(variable.getValue())
                    .ifPresent(argv -> commands.put(name.group(1).toLowerCase(Locale.ROOT), argv));
              }
            });
    return commands;
  }

  /** The trainer of every framework that has none of its own, when one is set. */
  public static Optional<List<String>> everyOtherFramework(Map<String, String> environment) {
    return argv(environment.get(EVERY_OTHER_FRAMEWORK));
  }

  private static Optional<List<String>> argv(String command) {
    if (command == null || command.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(List.of(command.trim().split("\\s+")));
  }
}
