package dev.catena.deploy.cli;

/**
 * The exit codes of {@code catena}, one per class of failure, so that scripts can tell "not there"
 * from "you asked wrongly" from "try again later". Listed in {@code catena --help}.
 */
final class ExitCodes {
  /** Success. */
  static final int OK = 0;

  /** A failure of no other class (a server error, a conflict such as "bucket exists"). */
  static final int FAILURE = 1;

  /** Invalid input: unknown option, malformed argument or range, missing local file. */
  static final int INVALID_INPUT = 2;

  /** The named bucket, key or path does not exist. */
  static final int NOT_FOUND = 3;

  /** ZooKeeper or the cluster did not answer in time. */
  static final int UNAVAILABLE = 4;

  private ExitCodes() {}
}
