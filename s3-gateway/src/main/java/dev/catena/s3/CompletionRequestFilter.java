package dev.catena.s3;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * Tells the store, on the request's thread, that it is serving a CompleteMultipartUpload ({@link
 * #servingCompletion()}) and whether its part list was out of order ({@link #partsOutOfOrder()}).
 *
 * <p>Part order: s3proxy sorts the parts by number before the {@code BlobStore} sees them. For a
 * {@code POST …?uploadId=…} the filter reads the body (at most {@value #MAX_BODY} bytes are judged;
 * a longer one passes unjudged), asks {@link PartOrder}, and hands s3proxy the same bytes. The
 * verdict is visible through {@link #partsOutOfOrder()} on the request's thread while s3proxy
 * serves it, so the refusal (400 {@code InvalidPartOrder}) comes from the store after s3proxy has
 * authenticated the request and the store has found the upload — never to a caller whose signature
 * was not checked.
 */
final class CompletionRequestFilter implements Filter {
  /** Largest completion body judged: 10 000 parts with ETags take about 1 MB. */
  static final int MAX_BODY = 2 << 20;

  /** Null outside a completion request; else whether its parts were out of order. */
  private static final ThreadLocal<Boolean> OUT_OF_ORDER = new ThreadLocal<>();

  /** Whether this thread is serving a CompleteMultipartUpload request. */
  static boolean servingCompletion() {
    return OUT_OF_ORDER.get() != null;
  }

  /** Whether the completion request this thread is serving listed its parts out of order. */
  static boolean partsOutOfOrder() {
    return Boolean.TRUE.equals(OUT_OF_ORDER.get());
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http) || !isCompletion(http)) {
      chain.doFilter(request, response);
      return;
    }
    InputStream in = http.getInputStream();
    byte[] head = in.readNBytes(MAX_BODY + 1);
    boolean judged = head.length <= MAX_BODY;
    OUT_OF_ORDER.set(judged && PartOrder.outOfOrder(head));
    try {
      chain.doFilter(new ReplayedBody(http, head, in), response);
    } finally {
      OUT_OF_ORDER.remove();
    }
  }

  /** POST with an {@code uploadId} query parameter (read from the query string, not the body). */
  static boolean isCompletion(HttpServletRequest http) {
    String query = http.getQueryString();
    if (!"POST".equals(http.getMethod()) || query == null) {
      return false;
    }
    for (String param : query.split("&")) {
      if (param.equals("uploadId") || param.startsWith("uploadId=")) {
        return true;
      }
    }
    return false;
  }

  /** The request with its body re-read from the buffered head and the unread rest. */
  private static final class ReplayedBody extends HttpServletRequestWrapper {
    private final ServletInputStream body;

    ReplayedBody(HttpServletRequest request, byte[] head, InputStream rest) {
      super(request);
      InputStream all = new SequenceInputStream(new ByteArrayInputStream(head), rest);
      body =
          new ServletInputStream() {
            private boolean finished;

            @Override
            public int read() throws IOException {
              int b = all.read();
              finished = b < 0;
              return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
              int n = all.read(buf, off, len);
              finished = n < 0;
              return n;
            }

            @Override
            public boolean isFinished() {
              return finished;
            }

            @Override
            public boolean isReady() {
              return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
              throw new UnsupportedOperationException("s3proxy reads request bodies blocking");
            }
          };
    }

    @Override
    public ServletInputStream getInputStream() {
      return body;
    }
  }
}
