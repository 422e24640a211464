import { cidrSubnet, contains, overlaps, parseCidr, subnetLayout } from "../src/foundation/cidr";

describe("cidrSubnet", () => {
  it("computes the n-th block like Terraform's cidrsubnet", () => {
    expect(cidrSubnet("10.0.0.0/16", 8, 2)).toBe("10.0.2.0/24");
    expect(cidrSubnet("10.30.0.0/16", 3, 1)).toBe("10.30.32.0/19");
    expect(cidrSubnet("192.168.0.0/20", 5, 31)).toBe("192.168.15.128/25");
    expect(cidrSubnet("10.0.0.0/8", 0, 0)).toBe("10.0.0.0/8");
  });

  it("refuses an index or size that does not fit", () => {
    expect(() => cidrSubnet("10.0.0.0/16", 2, 4)).toThrow(
      "10.0.0.0/16 has 4 blocks of /18; index 4 is out of range",
    );
    expect(() => cidrSubnet("10.0.0.0/30", 3, 0)).toThrow("cannot add 3 bits to /30");
  });
});

describe("parseCidr", () => {
  it("rejects malformed blocks with the reason", () => {
    expect(() => parseCidr("10.0.0/16")).toThrow("is not an IPv4 CIDR block");
    expect(() => parseCidr("10.0.300.0/16")).toThrow("octet above 255");
    expect(() => parseCidr("10.0.0.0/33")).toThrow("prefix above /32");
    expect(() => parseCidr("10.0.1.0/16")).toThrow("host bits set; the network address is 10.0.0.0/16");
  });

  it("handles addresses above 2^31 without sign problems", () => {
    expect(parseCidr("255.255.255.0/24").address).toBe(4294967040);
    expect(cidrSubnet("192.168.0.0/16", 8, 255)).toBe("192.168.255.0/24");
  });
});

describe("subnetLayout", () => {
  it("lays out the dev VPC over 2 AZs", () => {
    expect(subnetLayout("10.10.0.0/16", 2)).toEqual({
      private: ["10.10.0.0/19", "10.10.32.0/19"],
      public: ["10.10.128.0/21", "10.10.136.0/21"],
      isolated: ["10.10.160.0/21", "10.10.168.0/21"],
    });
  });

  it.each([
    ["10.30.0.0/16", 3],
    ["10.20.0.0/16", 4],
    ["172.16.0.0/20", 4],
    ["10.0.0.0/18", 1],
  ])("%s over %i AZs: every subnet inside the VPC, none overlapping", (vpc, azs) => {
    const layout = subnetLayout(vpc, azs);
    const all = [...layout.public, ...layout.private, ...layout.isolated];
    expect(all).toHaveLength(azs * 3);
    for (const block of all) expect(contains(vpc, block)).toBe(true);
    for (const [i, a] of all.entries()) {
      for (const b of all.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
    }
  });

  it("gives private subnets the most room", () => {
    const layout = subnetLayout("10.20.0.0/16", 3);
    expect(layout.private.every((c) => c.endsWith("/19"))).toBe(true);
    expect([...layout.public, ...layout.isolated].every((c) => c.endsWith("/21"))).toBe(true);
  });

  it("refuses VPC blocks and AZ counts it cannot lay out", () => {
    expect(() => subnetLayout("10.0.0.0/8", 2)).toThrow("must be between /16 and /20");
    expect(() => subnetLayout("10.0.0.0/24", 2)).toThrow("must be between /16 and /20");
    expect(() => subnetLayout("10.0.0.0/16", 5)).toThrow("azCount must be a whole number from 1 to 4, got 5");
    expect(() => subnetLayout("10.0.0.0/16", 0)).toThrow("got 0");
  });
});

describe("overlaps and contains", () => {
  it("tell nested, adjacent and disjoint blocks apart", () => {
    expect(overlaps("10.0.0.0/16", "10.0.128.0/17")).toBe(true);
    expect(overlaps("10.0.0.0/17", "10.0.128.0/17")).toBe(false);
    expect(contains("10.0.0.0/16", "10.0.128.0/17")).toBe(true);
    expect(contains("10.0.128.0/17", "10.0.0.0/16")).toBe(false);
  });
});
