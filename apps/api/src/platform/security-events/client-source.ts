import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a request came from, truncated (IPv4 /24, IPv6 /48) before it is logged or stored:
 * enough to see and block a flood's origin, not enough to name a person (SPEC §3: no IP addresses
 * in events). A hash would not do: the IPv4 space is small enough to reverse any hash of it.
 */
export function clientSource(ip: string | undefined): string {
  if (ip === undefined || ip === '') return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  const address = mapped ? mapped[1] : ip;
  if (isIPv4(address)) {
    const [a, b, c] = address.split('.');
    return `${a}.${b}.${c}.0/24`;
  }
  if (isIPv6(address)) {
    const groups = expandIpv6(address.split('%')[0]);
    return `${groups.slice(0, 3).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/48`;
  }
  return 'unknown';
}

/**
 * What per-IP limits count (SPEC §7.5): an IPv4 address (IPv4-mapped IPv6 included) as itself, an IPv6
 * address by its /64, since one client is given a whole /64 and could otherwise rotate through 2^64
 * addresses, each with a fresh budget. Anything else is counted as it is.
 */
export function rateLimitSubject(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const groups = expandIpv6(ip.split('%')[0]);
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address (an embedded IPv4 tail counts as two). */
function expandIpv6(address: string): string[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const parts = (text: string): string[] => (text === '' ? [] : text.split(':').flatMap(hextetsOf));
  const left = parts(head);
  const right = tail === undefined ? [] : parts(tail);
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right];
}

function hextetsOf(part: string): string[] {
  if (!part.includes('.')) return [part.toLowerCase()];
  const [a, b, c, d] = part.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
