package dev.catena.deploy.cli;

/**
 * {@code cluster add-node} gave up: the node did not become ACTIVE in every chain it joined within
 * the timeout. The message names the node, the timeout and where each join stood.
 */
final class JoinTimeoutException extends RuntimeException {
  JoinTimeoutException(String message) {
    super(message);
  }
}
