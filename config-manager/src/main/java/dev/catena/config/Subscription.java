package dev.catena.config;

/** A registration that stops delivering notifications once closed. Closing twice is harmless. */
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
