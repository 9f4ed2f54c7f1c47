package dev.catena.deploy.transport;

import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;

/**
 * Request rate and latency per gRPC method of a node's server, through Micrometer's interceptor:
 * {@code grpc_server_processing_duration_seconds{service,method,methodType,statusCode}} (with a
 * histogram), {@code grpc_server_requests_received_messages_total}, {@code
 * grpc_server_responses_sent_messages_total}.
 */
public final class GrpcMetrics {
  private GrpcMetrics() {}

  /** An interceptor recording every call into {@code registry}. */
  public static ServerInterceptor serverInterceptor(MeterRegistry registry) {
    return new MetricCollectingServerInterceptor(
        registry, counter -> counter, timer -> timer.publishPercentileHistogram());
  }
}
