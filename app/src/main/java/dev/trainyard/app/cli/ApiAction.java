package dev.trainyard.app.cli;

/**
 * What a call of {@link ApiClient} does, in the words of a refusal: "may not {@code what}", and the
 * role it takes ({@code needs}: viewer, member, admin or global admin), so a 403 can say which key
 * to ask for.
 */
record ApiAction(String what, String needs) {
  static final String VIEWER = "viewer";
  static final String MEMBER = "member";
  static final String ADMIN = "admin";
  static final String GLOBAL_ADMIN = "global admin";

  static ApiAction viewer(String what) {
    return new ApiAction(what, VIEWER);
  }

  static ApiAction member(String what) {
    return new ApiAction(what, MEMBER);
  }

  static ApiAction admin(String what) {
    return new ApiAction(what, ADMIN);
  }

  static ApiAction globalAdmin(String what) {
    return new ApiAction(what, GLOBAL_ADMIN);
  }
}
