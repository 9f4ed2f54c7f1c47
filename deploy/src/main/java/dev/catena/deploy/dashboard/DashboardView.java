package dev.catena.deploy.dashboard;

import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.deploy.zk.StatusJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON the dashboard page polls ({@code GET /api/cluster}): the {@code cluster status --json}
 * report ({@link StatusJson}) extended with what only the manager knows, built from plain values
 * (pure). The format is documented in the deploy README.
 *
 * <ul>
 *   <li>top level: {@code generatedAtMillis}, {@code sampleIntervalMillis};
 *   <li>per node: {@code adminAddress}, {@code departed} (no longer listed by {@code cluster
 *       status}), {@code downSinceMillis} (null while up), {@code rates} ({@code writesPerSec},
 *       {@code readsPerSec}, {@code writeP99Ms}, {@code readP99Ms}; null until known and while the
 *       node is down); departed nodes follow the listed ones;
 *   <li>{@code history}: {@code t} (epoch seconds) and per node the four rate series aligned with
 *       it (null where the node had no rates);
 *   <li>{@code reconfigurations}: the recent epoch changes, newest first.
 * </ul>
 */
final class DashboardView {
  private DashboardView() {}

  /** Everything one rendering needs. */
  record Inputs(
      ClusterAdmin.Status status,
      Map<String, RateSampler.Rates> rates,
      NodeLiveness liveness,
      RateHistory history,
      List<ReconfigurationLog.Change> reconfigurations,
      long generatedAtMillis,
      long sampleIntervalMillis) {}

  /** The endpoint's document. */
  static ObjectNode render(Inputs in) {
    ObjectNode root = StatusJson.tree(in.status());
    root.put("generatedAtMillis", in.generatedAtMillis())
        .put("sampleIntervalMillis", in.sampleIntervalMillis());
    ArrayNode nodes = (ArrayNode) root.get("nodes");
    for (int i = 0; i < in.status().nodes().size(); i++) {
      ClusterAdmin.NodeStatus n = in.status().nodes().get(i);
      decorate((ObjectNode) nodes.get(i), n.nodeId(), n.live(), false, in)
          .put("adminAddress", n.adminAddress());
    }
    for (String id : in.liveness().departed()) {
      ObjectNode n =
          nodes
              .addObject()
              .put("id", id)
              .put("live", false)
              .put("address", "")
              .put("heads", 0)
              .put("tails", 0);
      decorate(n, id, false, true, in).put("adminAddress", "");
    }
    root.set("history", history(in.history()));
    ArrayNode changes = root.putArray("reconfigurations");
    in.reconfigurations().forEach(c -> changes.add(change(c)));
    return root;
  }

  /** Adds what the manager knows of a node; a node that is not live has no rates. */
  private static ObjectNode decorate(
      ObjectNode n, String id, boolean live, boolean departed, Inputs in) {
    n.put("departed", departed);
    Optional<Long> down = in.liveness().downSince(id);
    if (down.isPresent()) {
      n.put("downSinceMillis", down.get());
    } else {
      n.putNull("downSinceMillis");
    }
    RateSampler.Rates r = live ? in.rates().get(id) : null;
    if (r == null) {
      n.putNull("rates");
    } else {
      ObjectNode o = n.putObject("rates");
      o.put("writesPerSec", round(r.writesPerSec())).put("readsPerSec", round(r.readsPerSec()));
      put(o, "writeP99Ms", r.writeP99Ms());
      put(o, "readP99Ms", r.readP99Ms());
    }
    return n;
  }

  private static ObjectNode history(RateHistory h) {
    ObjectNode out = StatusJson.MAPPER.createObjectNode();
    ArrayNode t = out.putArray("t");
    List<RateHistory.Tick> ticks = h.ticks();
    ticks.forEach(tick -> t.add(tick.atMillis() / 1000.0));
    ObjectNode nodes = out.putObject("nodes");
    for (String id : h.nodes()) {
      ObjectNode series = nodes.putObject(id);
      ArrayNode writes = series.putArray("writesPerSec");
      ArrayNode reads = series.putArray("readsPerSec");
      ArrayNode writeP99 = series.putArray("writeP99Ms");
      ArrayNode readP99 = series.putArray("readP99Ms");
      for (RateHistory.Tick tick : ticks) {
        RateSampler.Rates r = tick.rates().get(id);
        if (r == null) {
          writes.addNull();
          reads.addNull();
          writeP99.addNull();
          readP99.addNull();
        } else {
          writes.add(round(r.writesPerSec()));
          reads.add(round(r.readsPerSec()));
          add(writeP99, r.writeP99Ms());
          add(readP99, r.readP99Ms());
        }
      }
    }
    return out;
  }

  private static ObjectNode change(ReconfigurationLog.Change c) {
    ObjectNode o =
        StatusJson.MAPPER
            .createObjectNode()
            .put("atMillis", c.atMillis())
            .put("chain", c.chainId())
            .put("fromEpoch", c.fromEpoch())
            .put("toEpoch", c.toEpoch());
    c.before().forEach(o.putArray("before")::add);
    c.beforeSyncing().forEach(o.putArray("beforeSyncing")::add);
    c.after().forEach(o.putArray("after")::add);
    c.afterSyncing().forEach(o.putArray("afterSyncing")::add);
    c.changes().forEach(o.putArray("changes")::add);
    return o;
  }

  private static void put(ObjectNode o, String field, OptionalDouble v) {
    if (v.isPresent()) {
      o.put(field, round(v.getAsDouble()));
    } else {
      o.putNull(field);
    }
  }

  private static void add(ArrayNode a, OptionalDouble v) {
    if (v.isPresent()) {
      a.add(round(v.getAsDouble()));
    } else {
      a.addNull();
    }
  }

  /** Two decimals keep the document small; the charts need no more. */
  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
