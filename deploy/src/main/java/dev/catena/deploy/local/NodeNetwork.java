package dev.catena.deploy.local;

import java.util.List;

/**
 * Where the processes of a {@link LocalCluster} live on the network: the address ZooKeeper binds
 * (the manager, the nodes and clients connect to it), the address each storage node binds and
 * advertises, and how a node's command line is launched (for instance inside a network namespace).
 *
 * <p>Contract: {@link #launch} is called before every start of a node (also restarts and added
 * nodes) and must leave the node's network ready; the returned command must {@code exec} the given
 * command in place, so the launched process is the node's JVM itself. {@link #LOCALHOST} is the
 * default: everything on 127.0.0.1, the command unchanged.
 */
public interface NodeNetwork {
  /** Everything on 127.0.0.1; nodes are started exactly as {@link LocalCluster#nodeCommand}. */
  NodeNetwork LOCALHOST =
      new NodeNetwork() {
        @Override
        public String zookeeperHost() {
          return "127.0.0.1";
        }

        @Override
        public String nodeHost(String nodeId) {
          return "127.0.0.1";
        }

        @Override
        public List<String> launch(String nodeId, List<String> command) {
          return command;
        }
      };

  /** The address ZooKeeper binds; its connect string uses it. */
  String zookeeperHost();

  /** The address node {@code nodeId} binds and advertises. */
  String nodeHost(String nodeId);

  /**
   * Prepares the node's network (idempotent) and returns the command that runs {@code command}
   * there, replacing itself by it.
   */
  List<String> launch(String nodeId, List<String> command);
}
