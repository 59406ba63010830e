package dev.trainyard.workflows;

/**
 * The seed's callback-token contract, shared by the launcher that mints tokens and the API that
 * checks them: HS256 with claims {@code job_id}, {@code scope}, {@code iat}, {@code exp}, and
 * {@code attempt} since jobs retry.
 */
public final class CallbackContract {
  public static final String CLAIM_JOB_ID = "job_id";
  public static final String CLAIM_SCOPE = "scope";
  public static final String SCOPE = "training-callback";

  /** The attempt (1, 2, ...) a token was minted for; a token without it is attempt 1's. */
  public static final String CLAIM_ATTEMPT = "attempt";

  /** HMAC-SHA256 needs a key of at least 256 bits. */
  public static final int MIN_SECRET_BYTES = 32;

  private CallbackContract() {}
}
