package dev.catena.s3;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.EnumSet;
import org.gaul.s3proxy.S3Proxy;

/**
 * Puts a servlet filter in front of s3proxy's request handler. s3proxy (4.1.0) builds its Jetty
 * server privately — {@code S3Proxy.server}, wrapping a graceful-stop handler, wrapping the servlet
 * context that holds its servlet — and offers no hook, so this walks that chain by reflection
 * (Jetty is shaded inside s3proxy; only the servlet API's types are named here). Another s3proxy
 * whose structure differs fails {@link #install} with an {@link IllegalStateException} saying what
 * was not found, so the gateway does not start without its filters.
 */
final class ProxyFilters {
  private static final int MAX_WRAPPERS = 4;

  private ProxyFilters() {}

  /** Adds {@code filter} for every request path; call before the proxy starts. */
  static void install(S3Proxy proxy, Filter filter) {
    try {
      Field server = S3Proxy.class.getDeclaredField("server");
      server.setAccessible(true);
      Object handler = server.get(proxy);
      for (int depth = 0; depth < MAX_WRAPPERS && handler != null; depth++) {
        handler = handler.getClass().getMethod("getHandler").invoke(handler);
        if (handler == null) {
          break;
        }
        Method add = addFilter(handler.getClass());
        if (add != null) {
          add.invoke(handler, filter, "/*", EnumSet.of(DispatcherType.REQUEST));
          return;
        }
      }
      throw new IllegalStateException(
          "s3proxy's Jetty server has no servlet context within "
              + MAX_WRAPPERS
              + " handlers: cannot install "
              + filter.getClass().getSimpleName());
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      throw new IllegalStateException(
          "cannot install "
              + filter.getClass().getSimpleName()
              + " in s3proxy (its server structure changed?)",
          e);
    }
  }

  private static Method addFilter(Class<?> type) {
    try {
      return type.getMethod("addFilter", Filter.class, String.class, EnumSet.class);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
