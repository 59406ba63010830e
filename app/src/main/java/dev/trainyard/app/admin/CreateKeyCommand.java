package dev.trainyard.app.admin;

import dev.trainyard.app.ExitCodes;
import dev.trainyard.app.cli.CliException;
import dev.trainyard.app.cli.access.ExpiryConverter;
import dev.trainyard.store.access.ApiKeys;
import dev.trainyard.store.access.AuditDao;
import dev.trainyard.store.access.IssuedKey;
import dev.trainyard.store.access.ProjectDao;
import dev.trainyard.store.access.Role;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainyard admin create-key}: the bootstrap of a deployment. Writes the key's hash straight
 * into the database the API's configuration names (audited as {@code bootstrap}) and prints the key
 * once. Whoever can read that configuration can already do anything to the database, so this grants
 * nothing new.
 */
@Command(
    name = "create-key",
    description = {
      "Create an API key directly in the API's database (for the first admin of a deployment) and"
          + " print it once.",
      "The key alone goes to standard output, what it is to standard error."
    },
    mixinStandardHelpOptions = true,
    sortOptions = false)
public final class CreateKeyCommand implements Callable<Integer> {
  /**
   * The key-name rule of {@code POST /v1/projects/{project}/keys} (KeysResource.NAME), so a key
   * made here could have been made there.
   */

  /** Who made a key this command made, in api_keys.created_by and the audit log. */
  static final String CREATED_BY = "bootstrap";

  @Option(
      names = "--config",
      required = true,
      paramLabel = "API_YML",
      description = "The API's configuration (its database: section, ${VAR} from the environment)")
  Path config;

  @ArgGroup(multiplicity = "1")
  Scope scope;

  static final class Scope {
    @Option(names = "--project", paramLabel = "PROJECT", description = "The key's project")
    String project;

    @Option(
        names = "--global",
        description = "A global admin key: every project, and it creates projects (role admin)")
    boolean global;
  }

  @Option(
      names = "--create-project",
      description = "Create the project first when it does not exist")
  boolean createProject;

  @Option(
      names = "--role",
      defaultValue = "admin",
      description = "viewer, member or admin (default: ${DEFAULT-VALUE})")
  String role;

  @Option(names = "--name", required = true, description = "Who holds the key (e.g. ops-alice)")
  String name;

  @Option(
      names = "--expires-in",
      paramLabel = "DURATION",
      converter = ExpiryConverter.class,
      description = "Refuse the key after this long: 90m, 12h, 30d, 2w (default: no expiry)")
  Long expiresInSeconds;

  @Spec CommandSpec spec;

  private final Map<String, String> environment;

  public CreateKeyCommand() {
    this(System.getenv());
  }

  public CreateKeyCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    Role keyRole =
        Role.fromWire(role)
            .orElseThrow(
                () -> new CliException("--role must be viewer, member or admin", ExitCodes.USAGE));
    String project = scope.global ? null : scope.project;
    if (project == null && keyRole != Role.ADMIN) {
      throw new CliException("a --global key is an admin key: leave out --role", ExitCodes.USAGE);
    }
    if (project != null && !project.matches(ProjectDao.NAME_RULE)) {
      throw new CliException(
          "a project name is lower-case letters, digits and '-' (at most 63, not starting with"
              + " '-'): "
              + project,
          ExitCodes.USAGE);
    }
    if (!ApiKeys.NAME.matcher(name).matches()) {
      throw new CliException(
          "--name must be 1 to 64 letters, digits, spaces or ._@- (starting with a letter or"
              + " digit)",
          ExitCodes.USAGE);
    }
    if (expiresInSeconds != null && expiresInSeconds < 60) {
      throw new CliException("--expires-in must be at least a minute", ExitCodes.USAGE);
    }
    if (createProject && project == null) {
      throw new CliException("--create-project needs --project", ExitCodes.USAGE);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (ApiDatabase database = ApiDatabase.open(config, environment)) {
      Jdbi jdbi = database.jdbi();
      if (project != null) {
        ensureProject(jdbi, project, err);
      }
      Instant expiresAt =
          expiresInSeconds == null ? null : Instant.now().plusSeconds(expiresInSeconds);
      IssuedKey issued = ApiKeys.issue(jdbi, name, project, keyRole, expiresAt, CREATED_BY);
      err.println(
          "created key "
              + issued.keyId()
              + " ("
              + name
              + "): "
              + (project == null
                  ? "global admin"
                  : "role " + keyRole.wireName() + " in project " + project)
              + (expiresAt == null ? "" : ", expires " + expiresAt)
              + " in "
              + database.url());
      err.flush();
      out.println(issued.key());
      out.flush();
      err.println(
          "this key is shown only once: store it now (trainyard login reads it from standard"
              + " input); it cannot be shown again, only revoked: trainyard keys revoke "
              + issued.keyId());
      err.flush();
      return 0;
    }
  }

  private void ensureProject(Jdbi jdbi, String project, PrintWriter err) {
    boolean exists = jdbi.withExtension(ProjectDao.class, p -> p.find(project).isPresent());
    if (exists) {
      return;
    }
    if (!createProject) {
      throw new CliException(
          "project '" + project + "' does not exist: add --create-project to create it",
          ExitCodes.REQUEST_REJECTED);
    }
    // As the API's POST /v1/projects does it: the project and its audit entry together.
    jdbi.useTransaction(
        handle -> {
          if (handle.attach(ProjectDao.class).create(project, CREATED_BY)) {
            handle
                .attach(AuditDao.class)
                .record(CREATED_BY, "project.create", project, project, "{}");
          }
        });
    err.println("created project " + project);
  }
}
