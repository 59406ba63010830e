package dev.trainyard.api;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.api.access.AuditResource;
import dev.trainyard.api.access.AuditTrail;
import dev.trainyard.api.access.KeysResource;
import dev.trainyard.api.access.ProjectAccess;
import dev.trainyard.api.access.ProjectsResource;
import dev.trainyard.api.access.WhoAmIResource;
import dev.trainyard.api.auth.AccessRules;
import dev.trainyard.api.auth.ApiKeyAuthenticator;
import dev.trainyard.api.auth.Authentication;
import dev.trainyard.api.auth.CallbackAuth;
import dev.trainyard.api.auth.VerifiedTokenCache;
import dev.trainyard.api.callbacks.CallbackResource;
import dev.trainyard.api.callbacks.CallbackRoutes;
import dev.trainyard.api.config.ApiConfigurationFile;
import dev.trainyard.api.dashboard.DashboardRoutes;
import dev.trainyard.api.errors.ProblemErrorHandler;
import dev.trainyard.api.errors.ProblemMappers;
import dev.trainyard.api.explain.ExplainRoutes;
import dev.trainyard.api.health.ApiHealth;
import dev.trainyard.api.http.BodySizeLimits;
import dev.trainyard.api.http.NoMatrixParametersFilter;
import dev.trainyard.api.http.OneAuthorizationHeaderFilter;
import dev.trainyard.api.http.PlainBodyFilter;
import dev.trainyard.api.http.RequestLogGuard;
import dev.trainyard.api.http.ResponseOnlyGzip;
import dev.trainyard.api.http.SideDoors;
import dev.trainyard.api.http.StrictJson;
import dev.trainyard.api.http.Utf8BodyFilter;
import dev.trainyard.api.jobs.JobCancellationService;
import dev.trainyard.api.jobs.JobQueryService;
import dev.trainyard.api.jobs.JobSubmissionService;
import dev.trainyard.api.jobs.JobsResource;
import dev.trainyard.api.metrics.ApiMetrics;
import dev.trainyard.api.openapi.OpenApiRoutes;
import dev.trainyard.api.storage.ObjectStorage;
import dev.trainyard.api.storage.StorageRoutes;
import dev.trainyard.api.streams.StreamRoutes;
import dev.trainyard.api.temporal.JobWorkflows;
import dev.trainyard.store.Database;
import dev.trainyard.store.JsonText;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * The Trainyard API server: the user's job API and the trainer's callback API. Run it with {@code
 * server config.yml}, or in-process with {@code new TrainyardApiApplication().run("server", path)}.
 */
public class TrainyardApiApplication extends Application<TrainyardApiConfiguration> {

  public static void main(String[] args) throws Exception {
    new TrainyardApiApplication().run(args);
  }

  @Override
  public String getName() {
    return "trainyard-api";
  }

  @Override
  public void initialize(Bootstrap<TrainyardApiConfiguration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(
        ApiConfigurationFile.substituting(
            bootstrap.getConfigurationSourceProvider(), System.getenv()));
  }

  @Override
  public void run(TrainyardApiConfiguration config, Environment environment) {
    if (config.getServerFactory() instanceof AbstractServerFactory server) {
      // our ProblemMappers replace Dropwizard's, so every error leaves as problem+json
      server.setRegisterDefaultExceptionMappers(false);
      // replies may still be compressed; a compressed request body is refused, not inflated
      server.setGzipFilterFactory(new ResponseOnlyGzip(server.getGzipFilterFactory()));
    }
    RequestLogGuard.check(config.getServerFactory());
    SideDoors.close(config, environment);
    StrictJson.apply(environment.getObjectMapper());
    // Heartbeat metrics are mostly doubles, read and written again for the metrics column; the
    // JDK's
    // parser and writer were the largest allocators per heartbeat. Same values, correctly rounded.
    environment.getObjectMapper().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
    environment.getObjectMapper().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());

    // managed first, so it is stopped last: the Temporal stubs report into it until they close
    ApiMetrics metrics = ApiMetrics.register(environment, config.getPrometheus());
    ManagedDataSource dataSource =
        config.getDatabase().build(environment.metrics(), "trainyard-db");
    Database.migrate(dataSource);
    Jdbi jdbi =
        Database.configure(
            new JdbiFactory()
                .build(environment, config.getDatabase(), dataSource, ApiHealth.DATABASE));
    // The API's SQL has no <attribute> templates; rendering them cost ~5 % of a heartbeat's CPU.
    jdbi.setTemplateEngine(TemplateEngine.NOP);
    WorkflowClient client = config.getTemporal().build(environment, metrics.temporalScope());
    metrics.registerJobGauges(jdbi);

    // Stored documents are read back without the request limits (StrictJson): a row stored
    // before them, or one PostgreSQL nests deeper, must still be served, never a 500 for the list
    ObjectMapper storedJson = environment.getObjectMapper().copy();
    storedJson.getFactory().setStreamReadConstraints(StreamReadConstraints.defaults());
    JsonText json = new JsonText(storedJson);
    JobWorkflows workflows = new JobWorkflows(client);
    AuditTrail audit = new AuditTrail(jdbi, json);
    ProjectAccess projects = new ProjectAccess(jdbi);
    JobsResource jobs =
        new JobsResource(
            new JobSubmissionService(
                jdbi, workflows, json, projects, audit, config.getRetry().getDefaultMaxAttempts()),
            new JobQueryService(jdbi, json, projects),
            new JobCancellationService(jdbi, workflows, audit));
    environment.jersey().register(jobs);
    VerifiedTokenCache tokens =
        CallbackAuth.tokens(CallbackAuth.key(config.getCallbacks().secretBytes()));
    Authentication.register(
        environment.jersey(), tokens, new ApiKeyAuthenticator(jdbi, Clock.systemUTC()));
    CallbackRoutes.register(
        environment,
        config.getCallbacks(),
        jdbi,
        workflows,
        json,
        tokens,
        metrics.registry(),
        config.getStorage() == null ? null : config.getStorage().getBucket());
    Optional<ObjectStorage> storage =
        StorageRoutes.register(environment, config.getStorage(), projects, audit);
    environment
        .jersey()
        .register(
            config.getLogs().build(environment, jdbi, storage.map(ObjectStorage::logArchive)));
    ApiHealth.register(environment, client, config.getTemporal().getTarget(), storage);
    StreamRoutes.register(
        environment,
        config.getDatabase(),
        jdbi,
        json,
        projects,
        config.getLogs().local(),
        config.getLogs().archived(),
        config.getUserApi());
    environment.jersey().register(new ProjectsResource(jdbi, audit));
    environment.jersey().register(new KeysResource(jdbi, projects, audit, Clock.systemUTC()));
    environment.jersey().register(new AuditResource(jdbi, projects, environment.getObjectMapper()));
    environment.jersey().register(new WhoAmIResource());
    OpenApiRoutes.register(environment.jersey());
    DashboardRoutes.register(
        environment, config.getDashboard(), config.getTemporal().getNamespace(), jdbi);
    ExplainRoutes.register(
        environment, jdbi, json, client, config.getLogs().lines(), config.getDashboard());
    environment.jersey().register(new PlainBodyFilter());
    environment.jersey().register(new Utf8BodyFilter());
    environment.jersey().register(new OneAuthorizationHeaderFilter());
    environment.jersey().register(new NoMatrixParametersFilter());
    environment
        .jersey()
        .register(
            new BodySizeLimits(
                Map.of(
                    JobsResource.class, config.getUserApi().getMaxBodyBytes(),
                    ProjectsResource.class, config.getUserApi().getMaxBodyBytes(),
                    KeysResource.class, config.getUserApi().getMaxBodyBytes(),
                    CallbackResource.class, config.getCallbacks().getMaxBodyBytes())));
    ProblemMappers.register(environment.jersey());
    AccessRules.check(environment.jersey().getResourceConfig().getSingletons());
    AccessRules.check(environment.jersey().getResourceConfig().getClasses());
    ProblemErrorHandler jettyErrors = new ProblemErrorHandler(environment.getObjectMapper());
    environment
        .lifecycle()
        .addServerLifecycleListener(server -> server.setErrorHandler(jettyErrors));
  }
}
