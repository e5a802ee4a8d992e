// Which IP addresses the registry proxy may connect to. Every address falls in one class:
//   public    - reachable for any registry
//   private   - loopback, RFC 1918, CGNAT, unique-local: only for hosts the operator allowed
//               (`--allow-registry`), and never as a hop from a public registry
//   forbidden - never: unspecified, link-local (169.254/16 holds cloud metadata services at
//               169.254.169.254; fe80::/10), multicast, broadcast, documentation and reserved ranges
// IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
// NAT64 64:ff9b::/96, 6to4 2002::/16) are classed by the IPv4 address they reach (RFC 6890 and
// the IANA special-purpose registries). 100.64.0.0/10 (RFC 6598 shared address space, CGNAT) is
// private: it is the carrier's or a VPN's own network (Tailscale hands out addresses there), so a
// registry on it is one the operator must name.
import { isIP } from 'node:net';

export type AddressClass = 'public' | 'private' | 'forbidden';

interface Range4 { base: number; bits: number; cls: AddressClass; what: string }

function v4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

const range = (base: string, bits: number, cls: AddressClass, what: string): Range4 => ({ base: v4(base)!, bits, cls, what });

const RANGES4: Range4[] = [
  range('0.0.0.0', 8, 'forbidden', 'unspecified ("this network")'),
  range('10.0.0.0', 8, 'private', 'private (RFC 1918)'),
  range('100.64.0.0', 10, 'private', 'shared (CGNAT, RFC 6598)'),
  range('127.0.0.0', 8, 'private', 'loopback'),
  range('169.254.0.0', 16, 'forbidden', 'link-local (cloud metadata lives here)'),
  range('172.16.0.0', 12, 'private', 'private (RFC 1918)'),
  range('192.0.0.0', 24, 'forbidden', 'IETF protocol assignments'),
  range('192.0.2.0', 24, 'forbidden', 'documentation'),
  range('192.88.99.0', 24, 'forbidden', '6to4 relay anycast'),
  range('192.168.0.0', 16, 'private', 'private (RFC 1918)'),
  range('198.18.0.0', 15, 'private', 'benchmarking (RFC 2544)'),
  range('198.51.100.0', 24, 'forbidden', 'documentation'),
  range('203.0.113.0', 24, 'forbidden', 'documentation'),
  range('224.0.0.0', 4, 'forbidden', 'multicast'),
  range('240.0.0.0', 4, 'forbidden', 'reserved or broadcast'),
];

function classify4(n: number): { cls: AddressClass; what: string } {
  for (const r of RANGES4) {
    const mask = r.bits === 0 ? 0 : (0xffffffff << (32 - r.bits)) >>> 0;
    if (((n & mask) >>> 0) === r.base) return { cls: r.cls, what: r.what };
  }
  return { cls: 'public', what: 'public' };
}

/** The eight 16-bit groups of an IPv6 address (dotted IPv4 tail and `::` expanded), or null. */
export function parseIPv6(text: string): number[] | null {
  let s = text.toLowerCase();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    // A dotted IPv4 tail is the last two groups written another way.
    const n = v4(s.slice(lastColon + 1));
    if (n === null) return null;
    s = `${s.slice(0, lastColon + 1)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const group = (h: string | undefined) => (!h ? [] : h.split(':'));
  const head = group(halves[0]);
  const rest = group(halves[1]);
  if (![...head, ...rest].every((w) => /^[0-9a-f]{1,4}$/.test(w))) return null;
  const fill = 8 - head.length - rest.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return null;
  return [...head, ...new Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...rest].map((w) => parseInt(w, 16));
}

function classify6(words: number[]): { cls: AddressClass; what: string } {
  const g = Array.from({ length: 8 }, (_, i) => words[i] ?? 0);
  const [g0 = 0, g1 = 0, g2 = 0, , , g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = (hi: number, lo: number) => classify4(((hi << 16) >>> 0) + lo);
  const zeros = (from: number, to: number) => g.slice(from, to).every((w) => w === 0);
  if (zeros(0, 8)) return { cls: 'forbidden', what: 'unspecified' };
  if (zeros(0, 7) && g7 === 1) return { cls: 'private', what: 'loopback' };
  if (zeros(0, 5) && g5 === 0xffff) return embedded(g6, g7); // ::ffff:a.b.c.d
  if (zeros(0, 6)) return embedded(g6, g7); // ::a.b.c.d (deprecated IPv4-compatible)
  if (g0 === 0x64 && g1 === 0xff9b && zeros(2, 6)) return embedded(g6, g7); // NAT64
  if (g0 === 0x2002) return embedded(g1, g2); // 6to4
  if ((g0 & 0xffc0) === 0xfe80) return { cls: 'forbidden', what: 'link-local' };
  if ((g0 & 0xff00) === 0xff00) return { cls: 'forbidden', what: 'multicast' };
  if ((g0 & 0xfe00) === 0xfc00) return { cls: 'private', what: 'unique-local (fc00::/7)' };
  if ((g0 & 0xffc0) === 0xfec0) return { cls: 'private', what: 'site-local (deprecated)' };
  if (g0 === 0x2001 && g1 === 0x0db8) return { cls: 'forbidden', what: 'documentation' };
  // Teredo hides an obfuscated IPv4 address: no registry needs it.
  if (g0 === 0x2001 && g1 === 0) return { cls: 'forbidden', what: 'Teredo' };
  if (g0 === 0x0100 && zeros(1, 4)) return { cls: 'forbidden', what: 'discard-only' };
  return { cls: 'public', what: 'public' };
}

/** The class of an IP literal (IPv4, IPv6, bracketed IPv6); null when `ip` is not one. */
export function classifyAddress(ip: string): { cls: AddressClass; what: string } | null {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const family = isIP(bare.split('%')[0] ?? '');
  if (family === 4) return classify4(v4(bare)!);
  if (family === 6) {
    const groups = parseIPv6(bare);
    return groups ? classify6(groups) : { cls: 'forbidden', what: 'unparsable IPv6' };
  }
  return null;
}
