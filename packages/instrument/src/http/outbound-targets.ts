/**
 * Which hosts an outbound call may carry the request's context to — `traceparent`, `tracestate`,
 * `baggage` and `X-Request-ID` (option `tracePropagationTargets`, as Sentry's option of that
 * name). A call to any other host still gets its client span and its client metric; only the
 * headers are withheld, so a payment provider or a public API never learns internal trace IDs or
 * what the baggage holds.
 *
 * The default keeps the context inside the system it describes: hosts that can only be this
 * machine, a private network or a cluster's own names. The decision is made from the host name
 * alone (nothing is resolved), once per host per app, and kept in a bounded cache.
 */
import { optionTypeError, optionValueError } from '../core/errors.js';

/** Decides whether a host (lower case, no port, an IPv6 address without brackets) gets the headers. */
export type HostMatcher = (host: string) => boolean;

/** Most hosts whose decision an app keeps; past it the oldest decision is made again when needed. */
export const MAX_DECIDED_HOSTS = 1000;

const OPTION = 'tracePropagationTargets';

/** Cluster-local and private-use name suffixes: Kubernetes services and pods, mDNS, private DNS zones. */
const INTERNAL_SUFFIXES = ['.svc', '.local', '.internal', '.localhost'];

/** The four octets of a dotted IPv4 address, or `undefined`. */
function ipv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4) return undefined;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => o <= 255) ? octets : undefined;
}

function isInternalIpv4([a, b]: number[]): boolean {
  return a === 127 || a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168) || a === 0;
}

/** The eight groups of an IPv6 address (a trailing dotted IPv4 part counts as two), or `undefined`. */
function ipv6(host: string): number[] | undefined {
  let text = host.split('%')[0]!; // a zone (fe80::1%eth0) names the interface, not the address
  let tail: number[] = [];
  if (text.includes('.')) {
    const colon = text.lastIndexOf(':');
    const v4 = colon === -1 ? undefined : ipv4(text.slice(colon + 1));
    if (v4 === undefined) return undefined;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    text = text.slice(0, colon);
    if (text.endsWith(':')) text += ':';
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const count = head.length + rest.length + tail.length;
  if ([...head, ...rest].some(Number.isNaN) || count > 8 || (halves.length === 1 && count !== 8)) return undefined;
  return [...head, ...Array<number>(8 - count).fill(0), ...rest, ...tail];
}

function isInternalIpv6(g: number[]): boolean {
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(7) && g[7] === 1) return true; // ::1, loopback
  if (zeros(5) && g[5] === 0xffff) return isInternalIpv4([g[6]! >> 8, g[6]! & 0xff]); // IPv4-mapped
  return (g[0]! & 0xfe00) === 0xfc00 || (g[0]! & 0xffc0) === 0xfe80; // fc00::/7 unique local, fe80::/10 link-local
}

/**
 * The default: loopback (`localhost`, 127.0.0.0/8, ::1, and 0.0.0.0, "this host"), private
 * addresses (10/8, 172.16/12, 192.168/16, fc00::/7, fe80::/10, also IPv4-mapped), single-label
 * names (`users`: a compose service, a Kubernetes service in the same namespace, a hosts-file
 * name), and names under `.svc`, `.svc.cluster.local`, `.local`, `.internal` and `.localhost`.
 */
export function isInternalHost(host: string): boolean {
  const v4 = ipv4(host);
  if (v4 !== undefined) return isInternalIpv4(v4);
  if (host.includes(':')) {
    const v6 = ipv6(host);
    return v6 !== undefined && isInternalIpv6(v6);
  }
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name === '') return false;
  return !name.includes('.') || INTERNAL_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** A host name: letters, digits, "-", "_" and dots (a trailing dot allowed), no port. */
const HOST_NAME = /^[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_-])?\.?$/i;

/** Whether `pattern` is a host name or address, or `*.` and a domain. */
function isHostPattern(pattern: string): boolean {
  if (pattern.startsWith('*.')) return HOST_NAME.test(pattern.slice(2));
  const bare = pattern.startsWith('[') && pattern.endsWith(']') ? pattern.slice(1, -1) : pattern;
  return HOST_NAME.test(bare) || (bare.includes(':') && ipv6(bare) !== undefined);
}

function stringMatcher(pattern: string): HostMatcher {
  const p = hostNameOf(pattern).replace(/\.$/, '');
  if (p.startsWith('*.')) {
    const suffix = p.slice(1);
    return (host) => host.endsWith(suffix) || host.endsWith(`${suffix}.`);
  }
  return (host) => host === p || host === `${p}.`;
}

/**
 * `tracePropagationTargets` as a matcher: absent → the default; an array of host patterns (a
 * string: that host, or `*.example.com` for its subdomains; a RegExp: tested against the host)
 * → any of them; a function → its answer.
 * @throws TypeError for a wrong shape, Error for a string that is not a host pattern (code `PERISCOPE_INVALID_OPTION`).
 */
export function resolvePropagationTargets(value: unknown): HostMatcher {
  if (value === undefined) return isInternalHost;
  if (typeof value === 'function') return value as HostMatcher;
  const expected = 'an array of host names ("api.example.com", "*.example.com") and RegExps, or a function (host) => boolean';
  if (!Array.isArray(value)) throw optionTypeError(OPTION, value, expected);
  const matchers = (value as unknown[]).map((p, i): HostMatcher => {
    const option = `${OPTION}[${i}]`;
    if (p instanceof RegExp) {
      // A global or sticky RegExp keeps state between tests; a copy without those flags does not.
      const re = p.global || p.sticky ? new RegExp(p.source, p.flags.replace(/[gy]/g, '')) : p;
      return (host) => re.test(host);
    }
    if (typeof p !== 'string') throw optionTypeError(option, p, 'a host name string or a RegExp');
    if (!isHostPattern(p)) throw optionValueError(option, p, 'a host name or address ("api.example.com", "10.0.0.7") or "*." and a domain, without scheme, port or path');
    return stringMatcher(p);
  });
  return (host) => matchers.some((m) => m(host));
}

/** The host name of `host[:port]` (brackets of an IPv6 address removed), lower case. */
export function hostNameOf(address: string): string {
  let host = address;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    host = end === -1 ? host.slice(1) : host.slice(1, end);
  } else {
    const colon = host.indexOf(':');
    if (colon !== -1 && colon === host.lastIndexOf(':')) host = host.slice(0, colon);
  }
  return host.toLowerCase();
}

/**
 * One app's decisions, per host, kept for {@link MAX_DECIDED_HOSTS} hosts (the oldest forgotten
 * first). A matcher that throws withholds the headers from that host and is reported once.
 */
export class PropagationTargets {
  private readonly decided = new Map<string, boolean>();

  constructor(
    private readonly match: HostMatcher,
    private readonly report: (kind: string, err: unknown) => void,
  ) {}

  /** Whether a call to `address` (`host[:port]`) may carry the request's context. */
  allows(address: string): boolean {
    const known = this.decided.get(address);
    if (known !== undefined) return known;
    let allowed = false;
    try {
      allowed = this.match(hostNameOf(address)) === true;
    } catch (err) {
      this.report('tracePropagationTargets', err);
    }
    if (this.decided.size >= MAX_DECIDED_HOSTS) this.decided.delete(this.decided.keys().next().value!);
    this.decided.set(address, allowed);
    return allowed;
  }
}
