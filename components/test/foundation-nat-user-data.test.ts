import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { natUserData } from "../src/foundation/nat-user-data";

describe("natUserData", () => {
  const script = natUserData(["10.10.0.0/19", "10.10.32.0/19"]);

  it("is a bash script bash can parse", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "nat-")), "user-data.sh");
    fs.writeFileSync(file, script);
    expect(() => execFileSync("bash", ["-n", file])).not.toThrow();
    expect(script.startsWith("#!/bin/bash\nset -euo pipefail\n")).toBe(true);
  });

  it("turns forwarding on persistently and masquerades only the private blocks", () => {
    expect(script).toContain("cat > /etc/sysctl.d/90-nat.conf <<'SYSCTL'\nnet.ipv4.ip_forward = 1\n");
    // The interface is a shell variable, expanded when the instance writes the nftables file.
    expect(script).toContain(`ip saddr { 10.10.0.0/19, 10.10.32.0/19 } oifname "\${iface}" masquerade`);
    expect(script).toContain("systemctl enable nftables");
  });

  it("refuses an empty source list (it would translate nothing)", () => {
    expect(() => natUserData([])).toThrow("at least one private CIDR block");
  });
});
