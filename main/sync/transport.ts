/**
 * How the workstation reaches its sync server (docs/security.md, "Transport"): every HTTP
 * request and the Socket.IO connection go through one `ServerTransport`, built from one
 * setting, `SyncServerConfig` (the server's url and the certificate it pins).
 *
 * - `https://` with a pin: the server's certificate must be one of the pinned SHA-256
 *   fingerprints, whoever signed it (a public CA's certificate for the same name is refused
 *   too) and whatever names it carries (the pin is stronger than a name). The check runs
 *   when the TLS handshake ends, before the request leaves: the bytes of a login or a
 *   session token never reach a server that failed it.
 * - `https://` without a pin: the system's certificate authorities and the host name decide
 *   (Node's defaults).
 * - `http://` (and so `ws://`): only to a loopback address; anything else is refused before
 *   a connection is opened.
 * - A proxy (`SyncServerConfig.proxy`, from the administrator's policy; `main/sync/proxy.ts`):
 *   each `https://` connection is opened through a CONNECT tunnel when the resolver says so,
 *   and TLS runs inside it end to end, so the pin above is checked on the server's own
 *   certificate exactly as without a proxy. Loopback is never proxied.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { fr } from '../../common/i18n/fr';
import { isLoopbackHost, normaliseFingerprint, type CertFingerprint } from '../../common/transport';
import { openTunnel, ProxyError, TUNNEL_TIMEOUT_MS, type ProxyResolver } from './proxy';

/**
 * The one setting of the sync server a workstation needs (Electron: `VIGIE_SERVER_URL` and
 * `VIGIE_SERVER_CERT_SHA256`; the web host: `--server`, `--server-cert-sha256`; an
 * administrator's policy later).
 */
export interface SyncServerConfig {
  /** `https://host:port`; `http://` only to 127.0.0.1, ::1 or localhost. */
  url: string;
  /**
   * The SHA-256 fingerprint of the server's certificate (`AB:CD:…`, or plain hex): only that
   * certificate is accepted. Several during a rotation (the current one and the next).
   * Absent: the system's certificate authorities decide.
   */
  certFingerprint?: string | readonly string[];
  /**
   * The route of each connection (the policy's proxy: `proxyResolver` in ./proxy). Absent:
   * direct. Loopback is direct whatever it says.
   */
  proxy?: ProxyResolver;
  /** How long a proxy has to answer a CONNECT (default `TUNNEL_TIMEOUT_MS`; tests). */
  proxyTimeoutMs?: number;
}

/** Why a request could not be made; `message` is French and says what to do. */
export class TransportError extends Error {
  constructor(
    message: string,
    /**
     * `config`: the setting is refused (no connection was tried); `certificate`: the server's
     * certificate was refused; `proxy`: the proxy refused, asked for authentication, could not
     * be reached or did not answer (the message names it); `unreachable`: no answer.
     */
    readonly kind: 'config' | 'certificate' | 'proxy' | 'unreachable',
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface ServerRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  timeoutMs: number;
}

export interface ServerResponse {
  status: number;
  headers: IncomingMessage['headers'];
  /** The body parsed as JSON, or null when it is not JSON. */
  body: unknown;
}

export interface ServerTransport {
  /** The server's base url, as configured. */
  readonly url: string;
  /** The fingerprints pinned, canonical (empty: none). */
  readonly pins: readonly CertFingerprint[];
  /** The agent every connection to the server goes through (`https://` only). */
  readonly agent: HttpsAgent | undefined;
  /** One HTTP request to the server; throws `TransportError` when there is no answer. */
  request(path: string, req: ServerRequest): Promise<ServerResponse>;
  /** The last refusal of the server's certificate or of the proxy (French), until a connection succeeds. */
  lastRefusal(): string | null;
}

/** Largest answer body read (the login's answer is a few hundred bytes). */
const MAX_BODY_BYTES = 1024 * 1024;

/** Handshake errors that are about the server's certificate (Node's and OpenSSL's codes). */
const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|CHAIN/;

/**
 * Checks the setting and builds the transport; throws `TransportError('config')` for a
 * url that is not http(s), plain HTTP off loopback, a malformed fingerprint, or a pin with
 * `http://`.
 */
export function openServerTransport(config: SyncServerConfig): ServerTransport {
  let parsed: URL;
  try {
    parsed = new URL(config.url);
  } catch {
    throw new TransportError(fr.transport.badServerUrl(config.url), 'config');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new TransportError(fr.transport.badServerUrl(config.url), 'config');
  const given = config.certFingerprint === undefined ? [] : typeof config.certFingerprint === 'string' ? config.certFingerprint.split(',') : [...config.certFingerprint];
  const pins: CertFingerprint[] = [];
  for (const text of given) {
    if (text.trim() === '') continue;
    const fp = normaliseFingerprint(text);
    if (!fp) throw new TransportError(fr.transport.badFingerprint(text.trim().slice(0, 120)), 'config');
    pins.push(fp);
  }
  if (parsed.protocol === 'http:') {
    if (!isLoopbackHost(parsed.hostname)) throw new TransportError(fr.transport.plainServerRefused(config.url), 'config');
    if (pins.length > 0) throw new TransportError(fr.transport.pinNeedsHttps(config.url), 'config');
  }

  let refusal: string | null = null;
  const agent =
    parsed.protocol === 'https:'
      ? new ServerAgent(config.url, new Set(pins), (r) => (refusal = r), config.proxy ?? null, config.proxyTimeoutMs ?? TUNNEL_TIMEOUT_MS)
      : undefined;

  return {
    url: config.url,
    pins,
    agent,
    lastRefusal: () => refusal,
    request(path, req) {
      const target = new URL(path, config.url);
      const body = req.json === undefined ? undefined : Buffer.from(JSON.stringify(req.json));
      const options: RequestOptions = {
        method: req.method,
        headers: { ...req.headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}) },
        signal: AbortSignal.timeout(req.timeoutMs),
        // Read by the agent: a proxy's CONNECT gets no longer than the request itself.
        timeout: req.timeoutMs,
      };
      return new Promise<ServerResponse>((resolve, reject) => {
        const onResponse = (res: IncomingMessage): void => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) res.destroy();
            else chunks.push(chunk);
          });
          res.on('error', () => reject(new TransportError(fr.auth.serverUnreachable(config.url), 'unreachable')));
          res.on('end', () => {
            let parsedBody: unknown = null;
            try {
              parsedBody = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              parsedBody = null;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsedBody });
          });
        };
        const r = agent ? httpsRequest(target, { ...options, agent }, onResponse) : httpRequest(target, options, onResponse);
        r.on('error', (err) => {
          if (err instanceof TransportError) reject(err);
          else if (agent && refusal && CERTIFICATE_ERROR.test(String((err as { code?: unknown }).code ?? ''))) reject(new TransportError(refusal, 'certificate'));
          else reject(new TransportError(fr.auth.serverUnreachable(config.url), 'unreachable'));
        });
        r.end(body);
      });
    },
  };
}

/** Node's agent callback; with an error, no stream is passed (Node's `oncreate` ignores it). */
type CreateCallback = (err: Error | null, stream: Duplex) => void;

/**
 * The agent of `https://` connections to the server. With pins it takes the chain and the
 * names out of the decision and compares the certificate itself; without, Node's checks
 * stand and a refusal is only recorded, in French, for the status line.
 *
 * The connection is created asynchronously (Node's agents accept a socket handed to the
 * callback, as agent-base does): the proxy resolver is asked for the route, then either TLS
 * starts directly or a CONNECT tunnel opens first and TLS starts inside it.
 */
class ServerAgent extends HttpsAgent {
  constructor(
    private readonly url: string,
    private readonly pins: ReadonlySet<CertFingerprint>,
    private readonly onRefusal: (message: string | null) => void,
    private readonly proxy: ProxyResolver | null,
    private readonly tunnelTimeoutMs: number,
  ) {
    // No TLS session reuse: every connection shows its certificate again.
    super({ maxCachedSessions: 0 });
  }

  override createConnection(options: RequestOptions, callback?: CreateCallback): Duplex | undefined {
    const pinned = this.pins.size > 0;
    const tlsOptions: ConnectionOptions = {
      ...(options as ConnectionOptions),
      // With a pin, the chain and names are not what decides (a self-signed certificate is
      // the usual case): the fingerprint is checked below, before anything is written.
      rejectUnauthorized: pinned ? false : (options as ConnectionOptions).rejectUnauthorized !== false,
    };
    const host = (options.hostname ?? options.host ?? 'localhost').replace(/^\[(.*)\]$/, '$1');
    const port = Number(options.port ?? 443);
    // No resolver or loopback: direct, synchronously, as before proxies existed. (Node's agent
    // always passes the callback; without one there is no way to hand a socket over later.)
    const resolve = this.proxy;
    if (!resolve || isLoopbackHost(host) || !callback) return this.secure(tlsOptions);
    const done = callback;
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    resolve(new URL(`https://${authority}/`))
      .then(async (route) => {
        if (route.kind === 'direct') return this.secure(tlsOptions);
        // A request given up sooner (its own timeout) is not kept waiting for the proxy: the
        // error it then reports is this one (Node prefers the agent's error to the abort's).
        const timeoutMs = typeof options.timeout === 'number' && options.timeout > 0 ? Math.min(options.timeout, this.tunnelTimeoutMs) : this.tunnelTimeoutMs;
        const raw = await openTunnel(route.proxy, host, port, timeoutMs);
        return this.secure({ ...tlsOptions, socket: raw });
      })
      .then(
        (socket) => done(null, socket),
        (err: unknown) => {
          const failure = err instanceof ProxyError ? new TransportError(err.message, 'proxy') : err instanceof Error ? err : new Error(String(err));
          if (err instanceof ProxyError) this.onRefusal(err.message);
          (done as (err: Error) => void)(failure);
        },
      );
    return undefined;
  }

  /** Starts TLS (over `options.socket` when tunnelled) and checks the pin when the handshake ends. */
  private secure(tlsOptions: ConnectionOptions): TLSSocket {
    const pinned = this.pins.size > 0;
    const socket = tlsConnect(tlsOptions);
    socket.once('secureConnect', () => {
      if (!pinned) {
        this.onRefusal(null);
        return;
      }
      const got = socket.getPeerCertificate().fingerprint256;
      if (got && this.pins.has(got)) {
        this.onRefusal(null);
        return;
      }
      // Synchronous with the end of the handshake: the request's bytes, queued until now, are never sent.
      const message = fr.transport.pinMismatch(this.url, got ?? '?');
      this.onRefusal(message);
      socket.destroy(new TransportError(message, 'certificate'));
    });
    socket.once('error', (err: Error & { code?: unknown }) => {
      if (!pinned && CERTIFICATE_ERROR.test(String(err.code ?? ''))) this.onRefusal(fr.transport.untrustedCertificate(this.url, String(err.code)));
    });
    return socket;
  }
}
