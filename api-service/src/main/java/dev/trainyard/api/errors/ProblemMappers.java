package dev.trainyard.api.errors;

import io.dropwizard.jersey.errors.EarlyEofExceptionMapper;
import io.dropwizard.jersey.setup.JerseyEnvironment;

/**
 * The API's one exception-mapping layer. Dropwizard's default mappers are switched off by the
 * application so that every error, whoever raised it, leaves as problem+json.
 */
public final class ProblemMappers {
  private ProblemMappers() {}

  public static void register(JerseyEnvironment jersey) {
    UnexpectedExceptionMapper unexpected = new UnexpectedExceptionMapper();
    jersey.register(unexpected);
    jersey.register(new ApiExceptionMapper());
    jersey.register(new WebApplicationExceptionMapper(unexpected));
    jersey.register(new JsonProcessingExceptionMapper(unexpected));
    jersey.register(new ViolationExceptionMapper());
    jersey.register(new DatabaseUnavailableMapper(unexpected));
    // a client that hung up mid-body: nobody reads the reply, Dropwizard's mapper keeps the log
    // quiet
    jersey.register(new EarlyEofExceptionMapper());
  }
}
