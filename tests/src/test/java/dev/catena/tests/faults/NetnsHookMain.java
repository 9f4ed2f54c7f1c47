package dev.catena.tests.faults;

import dev.catena.tests.check.netns.NetnsNetwork;
import dev.catena.tests.check.netns.ProcessCommandRunner;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test program: builds a namespace network with two node namespaces and a partition, prints the
 * namespace prefix, and exits with status 3 without closing it, so only the shutdown hook can tear
 * it down ({@link NetnsNetworkIT}).
 */
public final class NetnsHookMain {
  private NetnsHookMain() {}

  public static void main(String[] args) throws InterruptedException {
    var runner = new ProcessCommandRunner(Duration.ofSeconds(20));
    NetnsNetwork net =
        NetnsNetwork.create(runner, args[0], new SplittableRandom(Long.parseLong(args[1])));
    net.launch("n1", List.of("true"));
    net.launch("n2", List.of("true"));
    net.cut(
        new dev.catena.tests.check.Partition(
            dev.catena.tests.check.Partition.Shape.HALVES, List.of("n1"), List.of("n2")));
    System.out.println(
        "prefix=" + net.layout().namespacePrefix() + " bridge=" + net.layout().bridge());
    System.out.flush();
    System.exit(3);
  }
}
