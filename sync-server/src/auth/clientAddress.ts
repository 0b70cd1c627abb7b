/**
 * The address a request comes from, for the login brakes: the TCP peer, or — only when that
 * peer is a configured trusted proxy — the right-most address of `X-Forwarded-For` that is
 * not itself a trusted proxy (the algorithm of Express's `proxy-addr`).
 *
 * Written here rather than taken from `proxy-addr`/`ipaddr.js` because neither is installed
 * and Node's own `net.BlockList` already does the CIDR matching: what is left is a
 * right-to-left walk of a dozen lines. A client that is not a trusted proxy cannot choose
 * its address: its `X-Forwarded-For` is ignored.
 */
import { BlockList, isIP } from 'node:net';
import { fr } from '../../../common/i18n/fr';

/** Names accepted besides addresses and CIDR blocks. */
const NAMED_RANGES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
};

/** `::ffff:192.0.2.1` (an IPv4 peer on a dual-stack socket) → `192.0.2.1`; other texts unchanged. */
export function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address.toLowerCase();
}

/**
 * One `X-Forwarded-For` entry → an address, or null when it is not one. Accepts the forms
 * proxies write: `192.0.2.1`, `192.0.2.1:5678`, `2001:db8::1`, `[2001:db8::1]:5678`.
 */
function forwardedEntry(raw: string): string | null {
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  if (v4WithPort) text = v4WithPort[1];
  return isIP(text) ? normaliseAddress(text) : null;
}

/** The set of trusted proxies (`--trusted-proxy`): addresses, CIDR blocks, or `loopback`. */
export class TrustedProxies {
  private readonly list = new BlockList();

  private constructor(
    /** As configured, for logs and docs. */
    readonly specs: readonly string[],
  ) {}

  /** No trusted proxy: `X-Forwarded-For` is never read. */
  static none(): TrustedProxies {
    return new TrustedProxies([]);
  }

  /** Throws an Error with a French message naming the first entry that is not an address, a CIDR block or `loopback`. */
  static parse(specs: readonly string[]): TrustedProxies {
    const trusted = new TrustedProxies(specs);
    for (const spec of specs) {
      for (const range of NAMED_RANGES[spec.trim().toLowerCase()] ?? [spec.trim()]) {
        if (!trusted.add(range)) throw new Error(fr.server.badTrustedProxy(spec));
      }
    }
    return trusted;
  }

  private add(range: string): boolean {
    const [address, prefixText, extra] = range.split('/');
    const family = isIP(address);
    if (!family || extra !== undefined) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefixText === undefined) {
      this.list.addAddress(normaliseAddress(address), type);
      return true;
    }
    if (!/^\d{1,3}$/.test(prefixText)) return false;
    const prefix = Number(prefixText);
    if (prefix > (family === 4 ? 32 : 128)) return false;
    this.list.addSubnet(normaliseAddress(address), prefix, type);
    return true;
  }

  get isEmpty(): boolean {
    return this.specs.length === 0;
  }

  isTrusted(address: string): boolean {
    const family = isIP(address);
    if (!family) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/**
 * The client's address: walks from the TCP peer leftwards through `X-Forwarded-For` while the
 * hop is a trusted proxy, and stops at the first untrusted one. An entry that is not an
 * address stops the walk at the hop that wrote it (the last one we can vouch for). When
 * every hop is trusted, the left-most address is the client's.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: TrustedProxies): string {
  const first = peer ? normaliseAddress(peer) : 'unknown';
  if (trusted.isEmpty || forwardedFor === undefined) return first;
  // Several headers are one list, in order (RFC 9110 §5.3).
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').filter((e) => e.trim() !== '');
  let current = first;
  for (let i = entries.length - 1; i >= 0; i--) {
    if (!trusted.isTrusted(current)) return current;
    const next = forwardedEntry(entries[i]);
    if (next === null) return current;
    current = next;
  }
  return current;
}
