/** Boot script of the NAT instance. */

/**
 * IP forwarding on, ICMP redirects off, and nftables masquerading the private blocks out of the primary
 * interface; both persisted so a reboot keeps them. Only `privateCidrs` are translated, so the instance
 * cannot be used as an open relay even if its security group were widened.
 */
export function natUserData(privateCidrs: readonly string[]): string {
  if (privateCidrs.length === 0) throw new Error("natUserData: at least one private CIDR block is required");
  const sources = privateCidrs.join(", ");
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "cat > /etc/sysctl.d/90-nat.conf <<'SYSCTL'",
    "net.ipv4.ip_forward = 1",
    "net.ipv4.conf.all.send_redirects = 0",
    "SYSCTL",
    "sysctl --system",
    "dnf install -y nftables",
    "iface=$(ip -o -4 route show default | awk '{print $5; exit}')",
    "cat > /etc/sysconfig/nftables.conf <<NFT",
    "flush ruleset",
    "table ip nat {",
    "  chain postrouting {",
    "    type nat hook postrouting priority srcnat; policy accept;",
    `    ip saddr { ${sources} } oifname "\${iface}" masquerade`,
    "  }",
    "}",
    "NFT",
    "systemctl enable nftables",
    "systemctl restart nftables",
    "",
  ].join("\n");
}
