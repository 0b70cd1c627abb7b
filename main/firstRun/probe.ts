/**
 * The first-run screen's connection test: one request to the server's health route
 * (`/api/health`, answered `{ok: true, version}` by every Vigie sync server), with the
 * failure told as a person can act on it — the name does not resolve, nothing listens,
 * the certificate is not trusted (or is not the pinned one), the proxy refuses, an HTTP
 * error, or a server that is not Vigie.
 *
 * Node's own `http`/`https` are used rather than `fetch` so each cause keeps its error code
 * (`ENOTFOUND`, `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`…) and the certificate can be
 * checked against the policy's fingerprint.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { normaliseFingerprint } from '../../common/app/policy';
import type { ProbeCause, ProbeResult } from '../../common/app/setup';
import { syncHttp } from '../../common/engine/wire';
import { fr } from '../../common/i18n/fr';
import { openTunnel, parseProxyUrl, ProxyError, type ProxyEndpoint, type ProxyResolver } from '../sync/proxy';

export type { ProbeCause, ProbeResult };

export interface ProbeOptions {
  /** SHA-256 of the certificate to accept (policy): that certificate is trusted, self-signed or not, and no other. */
  fingerprint?: string | null;
  /**
   * The route to the server (the policy's proxy, as the session's own connections take it:
   * `proxyResolver` in main/sync/proxy.ts). Wins over `proxyUrl`.
   */
  proxy?: ProxyResolver | null;
  /** A proxy for every address, loopback included (tests); direct when neither is given. */
  proxyUrl?: string | null;
  timeoutMs?: number;
  /** Extra CA certificates (tests). */
  ca?: string | Buffer;
}

const TLS_SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);

class ProxyFailure extends Error {}
class PinFailure extends Error {
  constructor(readonly got: string) {
    super('fingerprint mismatch');
  }
}

function fail(cause: ProbeCause, message: string): ProbeResult {
  return { ok: false, cause, message, version: null };
}

/** The French diagnosis of a network or TLS error. */
export function diagnoseError(err: unknown, url: URL, expectedFingerprint: string | null): ProbeResult {
  const host = url.hostname;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (err instanceof PinFailure) return fail('fingerprint', fr.firstRun.fingerprintMismatch(expectedFingerprint ?? '?', err.got));
  // The tunnel's own French sentence names the proxy and what it answered.
  if (err instanceof ProxyError) return fail('proxy', err.message);
  if (err instanceof ProxyFailure) return fail('proxy', fr.firstRun.proxy(err.message));
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return fail('dns', fr.firstRun.dns(host));
  if (code === 'ECONNREFUSED') return fail('refused', fr.firstRun.refused(host, port));
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return fail('timeout', fr.firstRun.timeout(host));
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ECONNRESET') return fail('unreachable', fr.firstRun.unreachable(host, code));
  if (TLS_SELF_SIGNED.has(code)) return fail('tls', fr.firstRun.tlsSelfSigned);
  if (code === 'CERT_HAS_EXPIRED') return fail('tls', fr.firstRun.tlsExpired);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return fail('tls', fr.firstRun.tlsHostname(host));
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code.includes('CERT')) return fail('tls', fr.firstRun.tlsOther(code));
  return fail('other', fr.firstRun.other(err instanceof Error ? err.message : String(err)));
}

/** Parses what a person typed: `vigie.ars.fr` gets `https://`; anything but http(s) is refused. */
export function parseServerAddress(input: string): URL | null {
  const text = input.trim();
  if (!text) return null;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username || url.password || !url.hostname) return null;
    return url;
  } catch {
    return null;
  }
}

/** Tests `input` as a Vigie server address. Never throws. */
export async function probeServer(input: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const url = parseServerAddress(input);
  if (!url) return fail('bad_url', fr.firstRun.badUrl);
  const timeoutMs = opts.timeoutMs ?? 8_000;
  const pin = opts.fingerprint ? normaliseFingerprint(opts.fingerprint) : null;
  const target = new URL(syncHttp.health, url);
  try {
    const route = opts.proxy ? await opts.proxy(url) : opts.proxyUrl ? { kind: 'proxy' as const, proxy: parseProxyUrl(opts.proxyUrl, 'proxyUrl') } : null;
    const proxy: ProxyEndpoint | null = route?.kind === 'proxy' ? route.proxy : null;
    const res = await new Promise<{ status: number; body: string; proxyError: boolean }>((resolve, reject) => {
      let req: ClientRequest;
      const onResponse = (r: IncomingMessage) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => {
          if (body.length < 64_000) body += chunk;
        });
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body, proxyError: proxy !== null && url.protocol === 'http:' && (r.statusCode === 407 || r.statusCode === 502 || r.statusCode === 504) }));
        r.on('error', reject);
      };
      const checkPin = (socket: TLSSocket) => {
        if (!pin) return;
        const got = socket.getPeerCertificate().fingerprint256;
        if (!got || normaliseFingerprint(got) !== pin) socket.destroy(new PinFailure(got ? normaliseFingerprint(got) : '?'));
      };
      if (url.protocol === 'https:') {
        // SNI takes a name, never an address (RFC 6066).
        const tlsOptions = { servername: isIP(url.hostname) ? undefined : url.hostname, ca: opts.ca, rejectUnauthorized: pin === null };
        const start = (socket?: Duplex) => {
          req = httpsRequest(target, {
            ...tlsOptions,
            timeout: timeoutMs,
            agent: false,
            ...(socket ? { createConnection: () => tlsConnect({ ...tlsOptions, socket }) } : {}),
          });
          req.once('socket', (s) => {
            const tlsSocket = s as TLSSocket;
            if (tlsSocket.encrypted) tlsSocket.once('secureConnect', () => checkPin(tlsSocket));
          });
          req.once('response', onResponse);
          req.once('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
          req.once('error', reject);
          req.end();
        };
        if (proxy) openTunnel(proxy, url.hostname.replace(/^\[(.*)\]$/, '$1'), Number(url.port || 443), timeoutMs).then(start, reject);
        else start();
      } else {
        // Plain http through a proxy: the absolute URI is the request line.
        req = proxy
          ? httpRequest({
              host: proxy.host,
              port: proxy.port,
              path: target.href,
              timeout: timeoutMs,
              agent: false,
              headers: { host: target.host, ...(proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {}) },
              ...(proxy.tls ? { createConnection: () => tlsConnect({ host: proxy.host, port: proxy.port, servername: isIP(proxy.host) ? undefined : proxy.host }) } : {}),
            })
          : httpRequest(target, { timeout: timeoutMs, agent: false });
        req.once('response', onResponse);
        req.once('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
        req.once('error', (err: NodeJS.ErrnoException) => reject(proxy ? new ProxyFailure(`${proxy.label} : ${err.code ?? err.message}`) : err));
        req.end();
      }
    });
    if (res.proxyError) return fail('proxy', fr.firstRun.proxy(`HTTP ${res.status}`));
    let json: unknown = null;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = null;
    }
    const vigie = typeof json === 'object' && json !== null && (json as { ok?: unknown }).ok === true && typeof (json as { version?: unknown }).version === 'number';
    if (vigie && res.status === 200) {
      const version = (json as { version: number }).version;
      return { ok: true, cause: 'ok', message: fr.firstRun.ok(url.origin, String(version)), version };
    }
    // A 404 or an HTML page from something else is « not Vigie »; other statuses are said as such.
    if (res.status >= 400 && res.status !== 404) return fail('http', fr.firstRun.http(res.status));
    return fail('not_vigie', fr.firstRun.notVigie(url.origin));
  } catch (err) {
    return diagnoseError(err, url, pin);
  }
}
