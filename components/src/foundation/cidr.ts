/**
 * Subnet CIDR math: the tiers' blocks derived from the VPC block, so the layout needs no per-environment
 * list of CIDRs and can never overlap.
 */

/** Where each tier's subnets sit inside the VPC block (in units of the tier's own subnet size). */
export interface SubnetLayout {
  /** One block per AZ, in AZ order. */
  public: string[];
  private: string[];
  isolated: string[];
}

/** Smallest and largest VPC blocks the layout supports (AWS allows /16 to /28; tiers need room). */
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 20;
/** At most this many AZs (the layout reserves room for four per tier). */
export const MAX_AZS = 4;

/** A parsed IPv4 CIDR block. */
export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  address: number;
  prefix: number;
}

/** Parses `a.b.c.d/n`; throws a RangeError naming the problem (bad octet, host bits set, ...). */
export function parseCidr(text: string): Cidr {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) throw new RangeError(`"${text}" is not an IPv4 CIDR block (a.b.c.d/n)`);
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) throw new RangeError(`"${text}" has an octet above 255`);
  const prefix = Number(match[5]);
  if (prefix > 32) throw new RangeError(`"${text}" has a prefix above /32`);
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) {
    throw new RangeError(
      `"${text}" has host bits set; the network address is ${formatCidr({ address: address - (address % size), prefix })}`,
    );
  }
  return { address, prefix };
}

export function formatCidr(cidr: Cidr): string {
  const a = cidr.address;
  return `${Math.floor(a / 2 ** 24) % 256}.${Math.floor(a / 2 ** 16) % 256}.${Math.floor(a / 2 ** 8) % 256}.${a % 256}/${cidr.prefix}`;
}

/**
 * The `index`-th block of `newBits` more prefix bits inside `base` (Terraform's `cidrsubnet`).
 *
 * @example cidrSubnet("10.0.0.0/16", 8, 2) // "10.0.2.0/24"
 */
export function cidrSubnet(base: string, newBits: number, index: number): string {
  const parent = parseCidr(base);
  const prefix = parent.prefix + newBits;
  if (newBits < 0 || prefix > 32) throw new RangeError(`cannot add ${newBits} bits to /${parent.prefix}`);
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** newBits) {
    throw new RangeError(`${base} has ${2 ** newBits} blocks of /${prefix}; index ${index} is out of range`);
  }
  return formatCidr({ address: parent.address + index * 2 ** (32 - prefix), prefix });
}

/**
 * The subnet blocks of each tier for `azCount` AZs. With a VPC of prefix p:
 * - private (services, Lambdas, the most addresses): /(p+3) blocks 0..3, the first half of the VPC;
 * - public (NAT, load balancer): /(p+5) blocks 16..19, the first eighth of the third quarter;
 * - isolated (database): /(p+5) blocks 20..23;
 * blocks 24..31 of /(p+5) (the last quarter) stay free for later tiers. For a /16: private /19 (8,190
 * addresses per AZ), public and isolated /21 (2,046).
 *
 * @example subnetLayout("10.10.0.0/16", 2).public // ["10.10.128.0/21", "10.10.136.0/21"]
 */
export function subnetLayout(vpcCidr: string, azCount: number): SubnetLayout {
  const { prefix } = parseCidr(vpcCidr);
  if (prefix < MIN_VPC_PREFIX || prefix > MAX_VPC_PREFIX) {
    throw new RangeError(`VPC block ${vpcCidr} must be between /${MIN_VPC_PREFIX} and /${MAX_VPC_PREFIX}`);
  }
  if (!Number.isInteger(azCount) || azCount < 1 || azCount > MAX_AZS) {
    throw new RangeError(`azCount must be a whole number from 1 to ${MAX_AZS}, got ${azCount}`);
  }
  const azs = [...Array(azCount).keys()];
  return {
    private: azs.map((i) => cidrSubnet(vpcCidr, 3, i)),
    public: azs.map((i) => cidrSubnet(vpcCidr, 5, 16 + i)),
    isolated: azs.map((i) => cidrSubnet(vpcCidr, 5, 20 + i)),
  };
}

/** True when two blocks share any address. */
export function overlaps(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  const xEnd = x.address + 2 ** (32 - x.prefix);
  const yEnd = y.address + 2 ** (32 - y.prefix);
  return x.address < yEnd && y.address < xEnd;
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return (
    i.prefix >= o.prefix &&
    i.address >= o.address &&
    i.address + 2 ** (32 - i.prefix) <= o.address + 2 ** (32 - o.prefix)
  );
}
