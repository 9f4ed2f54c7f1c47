package dev.catena.tests.check.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetnsLayoutTest {
  private final NetnsLayout layout = NetnsLayout.of(77, 0xa3f2);

  @Test
  void namesCarryTheRunIdAndAddressesTheSubnet() {
    assertThat(layout.runId()).isEqualTo("4da3f2");
    assertThat(layout.bridge()).isEqualTo("cb-4d");
    assertThat(layout.bridgeAddress()).isEqualTo("10.231.77.1");
    assertThat(layout.subnetCidr()).isEqualTo("10.231.77.0/24");
    assertThat(layout.namespace("n3")).isEqualTo("catena-4da3f2-n3");
    assertThat(layout.namespacePrefix()).isEqualTo("catena-4da3f2-");
    assertThat(layout.hostVeth("n3")).isEqualTo("cv4da3f2n3");
    assertThat(layout.nodeVeth("n3")).isEqualTo("ce4da3f2n3");
    assertThat(layout.nodeAddress("n3")).isEqualTo("10.231.77.13");
    assertThat(layout.nodeAddress("n200")).isEqualTo("10.231.77.210");
  }

  @Test
  void interfaceNamesFitTheKernelLimitForEveryNode() {
    assertThat(layout.hostVeth("n" + NetnsLayout.MAX_NODE)).hasSizeLessThanOrEqualTo(15);
    assertThat(layout.nodeVeth("n" + NetnsLayout.MAX_NODE)).hasSizeLessThanOrEqualTo(15);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "n0", "n201", "x1", "n01", "n1;rm", "N1", "n-1"})
  void badNodeIdsAreRefused(String node) {
    assertThatThrownBy(() -> layout.namespace(node)).isInstanceOf(InvalidNetnsNameException.class);
    assertThatThrownBy(() -> layout.nodeAddress(node))
        .isInstanceOf(InvalidNetnsNameException.class);
  }

  @Test
  void badSubnetsAndRunIdsAreRefused() {
    assertThatThrownBy(() -> NetnsLayout.of(0, 1)).isInstanceOf(InvalidNetnsNameException.class);
    assertThatThrownBy(() -> NetnsLayout.of(255, 1)).isInstanceOf(InvalidNetnsNameException.class);
    assertThatThrownBy(() -> NetnsLayout.of(5, 0x10000))
        .isInstanceOf(InvalidNetnsNameException.class);
    assertThatThrownBy(() -> new NetnsLayout(5, "ABCDEF"))
        .isInstanceOf(InvalidNetnsNameException.class);
  }

  @Test
  void bridgeAndNodeSetUpAndTeardownCommandLines() {
    assertThat(NetnsCommands.createBridge(layout))
        .containsExactly(
            List.of("ip", "link", "add", "cb-4d", "type", "bridge"),
            List.of("ip", "addr", "add", "10.231.77.1/24", "dev", "cb-4d"),
            List.of("ip", "link", "set", "cb-4d", "up"));
    assertThat(NetnsCommands.createNode(layout, "n2"))
        .containsExactly(
            List.of("ip", "netns", "add", "catena-4da3f2-n2"),
            List.of(
                "ip", "link", "add", "cv4da3f2n2", "type", "veth", "peer", "name", "ce4da3f2n2"),
            List.of("ip", "link", "set", "ce4da3f2n2", "netns", "catena-4da3f2-n2"),
            List.of("ip", "link", "set", "cv4da3f2n2", "master", "cb-4d"),
            List.of("ip", "link", "set", "cv4da3f2n2", "up"),
            List.of(
                "ip",
                "-n",
                "catena-4da3f2-n2",
                "addr",
                "add",
                "10.231.77.12/24",
                "dev",
                "ce4da3f2n2"),
            List.of("ip", "-n", "catena-4da3f2-n2", "link", "set", "ce4da3f2n2", "up"),
            List.of("ip", "-n", "catena-4da3f2-n2", "link", "set", "lo", "up"));
    assertThat(NetnsCommands.removeNode(layout, "n2"))
        .containsExactly(
            List.of("ip", "link", "del", "cv4da3f2n2"),
            List.of("ip", "netns", "del", "catena-4da3f2-n2"));
    assertThat(NetnsCommands.removeBridge(layout))
        .containsExactly(List.of("ip", "link", "del", "cb-4d"));
    assertThat(NetnsCommands.inNamespace("catena-4da3f2-n2", List.of("java", "-cp", "x")))
        .containsExactly("ip", "netns", "exec", "catena-4da3f2-n2", "java", "-cp", "x");
  }
}
