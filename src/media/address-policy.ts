// Which network destinations a server-side image fetch may reach. The default is "public unicast
// only": anything that could be the server itself, its LAN, its cloud metadata service or an
// internal service is refused unless the operator allow-lists it (IMAGE_FETCH_ALLOW_HOSTS).
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

function embeddedIpv4(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/**
 * The ipaddr.js range name of an address, looking through IPv6 forms that carry an IPv4 address
 * (mapped, translated, NAT64, 6to4) so ::ffff:127.0.0.1 is classified as the loopback it reaches.
 * 'unicast' means an ordinary public address.
 */
function rangeOf(ip: IpAddress): string {
  if (ip.kind() === 'ipv4') return ip.range();
  const v6 = ip as ipaddr.IPv6;
  const range = v6.range();
  const parts = v6.parts;
  switch (range) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d
    case 'rfc6052': // 64:ff9b::a.b.c.d (NAT64), 64:ff9b:1::/48
      return rangeOf(embeddedIpv4(parts[6] ?? 0, parts[7] ?? 0));
    case '6to4': // 2002:AABB:CCDD::/48 routes to a.b.c.d
      return rangeOf(embeddedIpv4(parts[1] ?? 0, parts[2] ?? 0));
    case 'unicast':
      // Deprecated IPv4-compatible form ::a.b.c.d; no legitimate image host uses it.
      if (parts.slice(0, 6).every((part) => part === 0)) return 'ipv4Compatible';
      return range;
    default:
      return range;
  }
}

function parseAddress(address: string): IpAddress | null {
  // Zone ids ('fe80::1%eth0') select an interface, not an address; the range is the same without one.
  const bare = address.replace(/^\[(.*)\]$/, '$1').split('%')[0] ?? '';
  const family = isIP(bare);
  if (family === 0) return null;
  // ipaddr.js reads '::127.0.0.1' as IPv4-mapped, whereas the socket would use the IPv4-compatible
  // ::7f00:1. Canonicalising through the URL parser (which prints plain hex groups) removes the doubt.
  const canonical = family === 6 ? new URL(`http://[${bare}]/`).hostname.slice(1, -1) : bare;
  try {
    return ipaddr.parse(canonical);
  } catch {
    return null;
  }
}

export interface AddressClassification {
  /** True only for ordinary public unicast addresses. */
  isPublic: boolean;
  /** ipaddr.js range name ('unicast', 'private', 'loopback', 'linkLocal', 'uniqueLocal', ...) or 'invalid'. */
  range: string;
}

/** Classifies an IP address literal (IPv4 or IPv6, brackets and zone ids tolerated). Never does I/O. */
export function classifyAddress(address: string): AddressClassification {
  const ip = parseAddress(address);
  if (!ip) return { isPublic: false, range: 'invalid' };
  const range = rangeOf(ip);
  return { isPublic: range === 'unicast', range };
}

/** An operator allow-list, compiled once from entries such as 'images.internal', '*.cdn.internal', '10.1.0.0/16', '::1'. */
export interface AllowList {
  allowsHost(hostname: string): boolean;
  allowsAddress(address: string): boolean;
}

function normalizeHostname(hostname: string): string {
  return hostname.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** Throws TypeError on entries that are neither hostnames nor addresses/CIDRs, so typos fail at startup. */
export function compileAllowList(entries: readonly string[]): AllowList {
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  const networks: Array<[IpAddress, number]> = [];

  for (const raw of entries) {
    const entry = normalizeHostname(raw);
    if (entry.includes('/')) {
      try {
        networks.push(ipaddr.parseCIDR(entry));
      } catch {
        throw new TypeError(`image fetch allow-list: ${JSON.stringify(raw)} is not a valid CIDR`);
      }
    } else if (isIP(entry) !== 0) {
      const ip = ipaddr.parse(entry);
      networks.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^\*\.[a-z0-9.-]+$/.test(entry)) {
      suffixes.push(entry.slice(1)); // '*.cdn.internal' -> '.cdn.internal'
    } else if (/^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$/.test(entry)) {
      hosts.add(entry);
    } else {
      throw new TypeError(`image fetch allow-list: ${JSON.stringify(raw)} is not a hostname, address or CIDR`);
    }
  }

  return {
    allowsHost(hostname) {
      const host = normalizeHostname(hostname);
      if (hosts.has(host)) return true;
      return suffixes.some((suffix) => host.endsWith(suffix));
    },
    allowsAddress(address) {
      const ip = parseAddress(address);
      if (!ip) return false;
      // Match ::ffff:10.0.0.1 against an IPv4 CIDR too, since that is where it connects.
      const candidates: IpAddress[] = [ip];
      if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
        candidates.push((ip as ipaddr.IPv6).toIPv4Address());
      }
      return candidates.some((candidate) =>
        networks.some(([network, bits]) => network.kind() === candidate.kind() && candidate.match(network, bits)),
      );
    },
  };
}

export type AddressDecision = { allowed: true } | { allowed: false; range: string };

/**
 * May a request to `hostname` connect to `address`? Yes if the address is public, or the operator
 * allow-listed either the hostname (trusting whatever it resolves to) or the address's network.
 */
export function checkDestination(hostname: string, address: string, allowList: AllowList): AddressDecision {
  const { isPublic, range } = classifyAddress(address);
  if (isPublic) return { allowed: true };
  if (allowList.allowsHost(hostname) || allowList.allowsAddress(address)) return { allowed: true };
  return { allowed: false, range };
}
