/**
 * Which proxy, if any, the main process's own connections to the sync server go through
 * (login, token renewal, logout, the Socket.IO connection, the first-run test), as the
 * administrator's policy decides (`docs/policy.md`, `proxy`):
 *
 * - `direct`: never a proxy.
 * - `fixed`: the policy's proxy, except for the hosts its `bypass` list names, matched as
 *   Chromium matches the same list for the window's session (`bypassMatches`).
 * - `system`: in the desktop app, what Chromium resolves for the url
 *   (`session.resolveProxy`, injected as a `SystemProxyLookup` by `main/index.ts`, parsed by
 *   `parseChromiumProxyList`); elsewhere (the web host, tests) `HTTPS_PROXY`/`https_proxy`
 *   and `NO_PROXY`/`no_proxy`, as curl reads them.
 *
 * A loopback host (127.0.0.0/8, ::1, localhost) is never proxied, whatever the mode.
 * The CONNECT tunnel itself is `openTunnel`; TLS to the server then runs inside it, end to
 * end, so the certificate pin is checked on the server's own certificate.
 *
 * Why the tunnel is written here rather than taken from `https-proxy-agent`: that agent
 * answers a refused CONNECT (407, 403, 502) by handing the request a socket that replays the
 * proxy's response as if the server had sent it, so the login would read a proxy's refusal as
 * the server's and could not say, in French, which proxy refused and why; the first-run test
 * needs the same distinctions. The tunnel is one CONNECT request (`openTunnel`).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { BlockList, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { isLoopbackHost } from '../../common/transport';
import { fr } from '../../common/i18n/fr';
import type { ProxyDecision } from '../policy';

/** A proxy to open CONNECT tunnels through. */
export interface ProxyEndpoint {
  /** How messages name it: `http://proxy.ars.fr:3128` (never its credentials). */
  label: string;
  host: string;
  port: number;
  /** `https://` proxy: the CONNECT request itself goes over TLS to the proxy. */
  tls: boolean;
  /** `Proxy-Authorization` header (Basic), from credentials in `HTTPS_PROXY`. */
  authorization?: string;
}

export type ProxyRoute = { kind: 'direct' } | { kind: 'proxy'; proxy: ProxyEndpoint };

/** Decides the route to one https target (`https://host:port/`); rejects with a `ProxyError` ('config'). */
export type ProxyResolver = (target: URL) => Promise<ProxyRoute>;

/** Chromium's answer for a url (`session.defaultSession.resolveProxy`): `"PROXY host:port; DIRECT"`. */
export type SystemProxyLookup = (url: string) => Promise<string>;

export type ProxyFailureKind = 'config' | 'auth' | 'refused' | 'unreachable' | 'timeout';

/** Why a connection through a proxy failed; `message` is French and names the proxy and what it answered. */
export class ProxyError extends Error {
  constructor(
    message: string,
    readonly kind: ProxyFailureKind,
    /** The proxy, as messages name it (null for a setting that named none). */
    readonly proxy: string | null,
  ) {
    super(message);
    this.name = 'ProxyError';
  }
}

export const DIRECT: ProxyRoute = { kind: 'direct' };

/** Never proxied, whatever the setting: loopback hosts. */
export const directResolver: ProxyResolver = () => Promise.resolve(DIRECT);

/** The host of a url without IPv6 brackets, lower case. */
function bareHost(host: string): string {
  const h = host.toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

function defaultPort(protocol: string): number {
  return protocol === 'http:' || protocol === 'ws:' ? 80 : 443;
}

/**
 * Parses a proxy address (`http://host:port`, `https://host:port`, or a bare `host:port`
 * as environment variables often hold). Credentials in it become a Basic
 * `Proxy-Authorization`. `source` names where it came from, for the French refusal.
 */
export function parseProxyUrl(text: string, source: string): ProxyEndpoint {
  const raw = text.trim();
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new ProxyError(fr.transport.proxyBadAddress(source, raw.slice(0, 200)), 'config', null);
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) throw new ProxyError(fr.transport.proxyBadAddress(source, raw.slice(0, 200)), 'config', null);
  const port = u.port ? Number(u.port) : defaultPort(u.protocol);
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  return {
    label: `${u.protocol}//${u.hostname}:${port}`,
    host: bareHost(u.hostname),
    port,
    tls: u.protocol === 'https:',
    ...(user || password ? { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } : {}),
  };
}

// ---------------------------------------------------------------------------------------
// Bypass lists

/** One `ip/prefix` block, or null when `text` is not one. */
function cidr(text: string): BlockList | null {
  const m = /^\[?([0-9a-f.:]+)\]?\/(\d{1,3})$/i.exec(text);
  if (!m) return null;
  const family = isIP(m[1]);
  const prefix = Number(m[2]);
  if (family === 0 || prefix > (family === 4 ? 32 : 128)) return null;
  const list = new BlockList();
  list.addSubnet(m[1], prefix, family === 4 ? 'ipv4' : 'ipv6');
  return list;
}

function inBlock(list: BlockList, host: string): boolean {
  const family = isIP(host);
  return family !== 0 && list.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** `*` anywhere in a host pattern, case-insensitive, anchored. */
function globMatches(pattern: string, host: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(host);
}

/**
 * Whether `target` skips the proxy under a `fixed` policy's `bypass` list. The rules are
 * Chromium's simple bypass rules, the ones `session.setProxy({proxyBypassRules})` applies to
 * the window with the same list:
 *
 * - `vigie.ars.fr`: that host only; `*.ars.fr` or `.ars.fr`: its sub-domains (not `ars.fr`
 *   itself); `*` may stand anywhere in the name (`*vigie*`);
 * - `10.0.0.0/8`, `fd00::/8`: addresses in that block (an address written in the url; names
 *   are not resolved to decide);
 * - an address (`10.1.2.3`, `[fd00::1]`): that address;
 * - `host:port`: only that port; `https://host`: only that scheme (`wss` counts as https);
 * - `<local>`: names without a dot (`vigie`).
 *
 * `<-loopback>` changes nothing: loopback is never proxied here.
 */
export function bypassMatches(rules: readonly string[], target: URL): boolean {
  const host = bareHost(target.hostname).replace(/\.$/, '');
  const port = target.port ? Number(target.port) : defaultPort(target.protocol);
  const scheme = target.protocol === 'wss:' ? 'https' : target.protocol === 'ws:' ? 'http' : target.protocol.replace(/:$/, '');
  for (const original of rules) {
    let rule = original.trim().toLowerCase();
    if (!rule) continue;
    if (rule === '<local>') {
      if (!host.includes('.') && isIP(host) === 0) return true;
      continue;
    }
    if (rule.startsWith('<')) continue;
    const block = cidr(rule);
    if (block) {
      if (inBlock(block, host)) return true;
      continue;
    }
    const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//.exec(rule);
    if (schemeMatch) {
      const ruleScheme = schemeMatch[1] === 'wss' ? 'https' : schemeMatch[1] === 'ws' ? 'http' : schemeMatch[1];
      if (ruleScheme !== scheme) continue;
      rule = rule.slice(schemeMatch[0].length);
    }
    let rulePort: number | null;
    ({ host: rule, port: rulePort } = splitRulePort(rule));
    if (rulePort !== null && rulePort !== port) continue;
    if (rule.startsWith('.')) rule = `*${rule}`;
    if (isIP(rule) !== 0) {
      if (isIP(host) !== 0 && sameAddress(rule, host)) return true;
      continue;
    }
    if (globMatches(rule, host)) return true;
  }
  return false;
}

/** A rule's host and port: `host:port`, `[::1]:443`, or a bare host (port null). */
function splitRulePort(rule: string): { host: string; port: number | null } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rule);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : null };
  const withPort = /^([^:]+):(\d+)$/.exec(rule);
  if (withPort) return { host: withPort[1], port: Number(withPort[2]) };
  return { host: rule, port: null };
}

/** Two address literals equal once expanded (`::1` and `0:0:0:0:0:0:0:1`). */
function sameAddress(a: string, b: string): boolean {
  const family = isIP(a);
  if (family !== isIP(b)) return false;
  const list = new BlockList();
  list.addAddress(a, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(b, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Whether `NO_PROXY` keeps `target` off the proxy, as curl reads it: entries separated by
 * commas or spaces; `*` for every host; `ars.fr`, `.ars.fr` or `*.ars.fr` for that domain and
 * its sub-domains; `host:port` for one port; an address or an `ip/prefix` block.
 */
export function noProxyMatches(noProxy: string, target: URL): boolean {
  const host = bareHost(target.hostname).replace(/\.$/, '');
  const port = target.port ? Number(target.port) : defaultPort(target.protocol);
  for (const entry of noProxy.split(/[\s,]+/)) {
    let rule = entry.trim().toLowerCase();
    if (!rule) continue;
    if (rule === '*') return true;
    const block = cidr(rule);
    if (block) {
      if (inBlock(block, host)) return true;
      continue;
    }
    let rulePort: number | null;
    ({ host: rule, port: rulePort } = splitRulePort(rule));
    if (rulePort !== null && rulePort !== port) continue;
    if (isIP(rule) !== 0) {
      if (isIP(host) !== 0 && sameAddress(rule, host)) return true;
      continue;
    }
    const domain = rule.replace(/^\*?\./, '');
    if (host === domain || host.endsWith(`.${domain}`)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Chromium's answers

/**
 * Reads Chromium's proxy list for a url (`"PROXY proxy.ars.fr:3128; DIRECT"`, a PAC
 * script's answer format) and keeps the first entry this process can use: `DIRECT`, `PROXY`
 * (an HTTP proxy) or `HTTPS` (an HTTP proxy reached over TLS). `SOCKS*` and `QUIC` entries
 * are skipped; a list with nothing usable is refused in French. Only the first usable entry
 * is tried (Chromium would fall back to the next one when a proxy fails; this process does
 * not).
 */
export function parseChromiumProxyList(answer: string): ProxyRoute {
  const entries = answer
    .split(';')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  // An empty answer is Chromium's way of saying direct.
  if (entries.length === 0) return DIRECT;
  for (const entry of entries) {
    const [kind, server] = entry.split(/\s+/, 2).map((s) => s.trim());
    const k = kind.toUpperCase();
    if (k === 'DIRECT') return DIRECT;
    if ((k === 'PROXY' || k === 'HTTPS') && server) {
      return { kind: 'proxy', proxy: parseProxyUrl(`${k === 'HTTPS' ? 'https' : 'http'}://${server}`, fr.transport.proxySourceSystem) };
    }
  }
  throw new ProxyError(fr.transport.proxyUnsupported(answer.trim().slice(0, 200)), 'config', null);
}

// ---------------------------------------------------------------------------------------
// The resolver a transport is built with

export interface ProxyResolverOptions {
  /** Chromium's resolver (the desktop app); absent: the environment variables (`system` mode only). */
  system?: SystemProxyLookup | null;
  /** The environment read in `system` mode without Chromium (default: `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The route to each target under `decision`; loopback targets are always direct. */
export function proxyResolver(decision: ProxyDecision, opts: ProxyResolverOptions = {}): ProxyResolver {
  const inner = innerResolver(decision, opts);
  return (target) => (isLoopbackHost(target.hostname) ? Promise.resolve(DIRECT) : inner(target));
}

function innerResolver(decision: ProxyDecision, opts: ProxyResolverOptions): ProxyResolver {
  if (decision.mode === 'direct') return directResolver;
  if (decision.mode === 'fixed') {
    // A policy's url was checked by its schema; parse once, refuse at each use if it is still wrong.
    let proxy: ProxyEndpoint | ProxyError;
    try {
      proxy = parseProxyUrl(decision.url, fr.transport.proxySourcePolicy);
    } catch (err) {
      proxy = err instanceof ProxyError ? err : new ProxyError(String(err), 'config', null);
    }
    const fixed = proxy;
    return (target) => {
      if (bypassMatches(decision.bypass, target)) return Promise.resolve(DIRECT);
      return fixed instanceof ProxyError ? Promise.reject(fixed) : Promise.resolve({ kind: 'proxy', proxy: fixed });
    };
  }
  const lookup = opts.system;
  if (lookup) {
    return async (target) => {
      let answer: string;
      try {
        answer = await lookup(target.href);
      } catch (err) {
        throw new ProxyError(fr.transport.proxyLookupFailed(err instanceof Error ? err.message : String(err)), 'config', null);
      }
      return parseChromiumProxyList(answer);
    };
  }
  const env = opts.env ?? process.env;
  return (target) => {
    const text = env.https_proxy ?? env.HTTPS_PROXY ?? '';
    if (text.trim() === '') return Promise.resolve(DIRECT);
    if (noProxyMatches(env.no_proxy ?? env.NO_PROXY ?? '', target)) return Promise.resolve(DIRECT);
    try {
      return Promise.resolve({ kind: 'proxy', proxy: parseProxyUrl(text, 'HTTPS_PROXY') });
    } catch (err) {
      return Promise.reject(err);
    }
  };
}

// ---------------------------------------------------------------------------------------
// The tunnel

/** How long the proxy has to answer the CONNECT (under socket.io-client's 10 s connect timeout). */
export const TUNNEL_TIMEOUT_MS = 8_000;

/**
 * Opens a CONNECT tunnel through `proxy` to `host:port` and resolves with the raw stream, on
 * which the caller starts TLS with the server. Rejects with a French `ProxyError`: 407
 * (authentication required), another status (refused), no connection to the proxy
 * (unreachable), no answer in time (timeout).
 */
export function openTunnel(proxy: ProxyEndpoint, host: string, port: number, timeoutMs = TUNNEL_TIMEOUT_MS): Promise<Duplex> {
  const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    let settled = false;
    let current: { destroy(): void } | null = null;
    const settle = (err: ProxyError | null, socket?: Duplex): void => {
      if (settled) {
        socket?.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else if (socket) resolve(socket);
    };
    const unreachable = (err: NodeJS.ErrnoException): void => settle(new ProxyError(fr.transport.proxyUnreachable(proxy.label, err.code ?? err.message), 'unreachable', proxy.label));
    const timer = setTimeout(() => {
      settle(new ProxyError(fr.transport.proxyTimeout(proxy.label, authority), 'timeout', proxy.label));
      current?.destroy();
    }, timeoutMs);

    const sendConnect = (tlsToProxy: Duplex | null): void => {
      if (settled) {
        tlsToProxy?.destroy();
        return;
      }
      const req = httpRequest({
        host: proxy.host,
        port: proxy.port,
        method: 'CONNECT',
        path: authority,
        agent: false,
        headers: { host: authority, ...(proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {}) },
        ...(tlsToProxy ? { createConnection: () => tlsToProxy } : {}),
      });
      current = req;
      req.once('connect', (res: IncomingMessage, socket: Socket) => {
        if (res.statusCode === 200) {
          settle(null, socket);
          return;
        }
        socket.destroy();
        const status = `${res.statusCode ?? '?'}${res.statusMessage ? ` ${res.statusMessage}` : ''}`;
        if (res.statusCode === 407) settle(new ProxyError(fr.transport.proxyAuth(proxy.label, authority, proxy.authorization !== undefined), 'auth', proxy.label));
        else settle(new ProxyError(fr.transport.proxyRefused(proxy.label, authority, status), 'refused', proxy.label));
      });
      req.once('error', unreachable);
      req.end();
    };

    if (!proxy.tls) {
      sendConnect(null);
      return;
    }
    // An https:// proxy: the TLS handshake with the proxy first, so its own failure (an
    // untrusted proxy certificate) is told as such rather than as a reset CONNECT.
    const tls = tlsConnect({ host: proxy.host, port: proxy.port, servername: isIP(proxy.host) ? undefined : proxy.host });
    current = tls;
    tls.once('error', unreachable);
    tls.once('secureConnect', () => {
      tls.removeListener('error', unreachable);
      sendConnect(tls);
    });
  });
}
