/**
 * The web host: the same main-process services as the desktop app, offered to a browser on
 * this machine. It serves the built renderer over http on 127.0.0.1 and carries ConsoleApi
 * over Socket.IO (path `/bridge`) with the same two names as Electron's IPC channels.
 *
 * Only the page opened with this run's token may call: the token (32 random bytes) travels
 * in the URL fragment (never sent to a server, never in a Referer) and in the Socket.IO
 * handshake, where it is compared in constant time. Host and Origin headers are checked too,
 * so a web page elsewhere cannot reach the bridge through DNS rebinding.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ConsoleServices } from '../services';
import { contentSecurityPolicy, mimeType, resolveStaticFile, securityHeaders } from '../static/files';
import { ipcChannels, WEB_BRIDGE_PATH, type CallReply } from '../../common/engine/calls';
import { MAX_FRAME_BYTES } from '../../common/protocol';

export const BRIDGE_PATH = WEB_BRIDGE_PATH;

export interface WebHostOptions {
  services: ConsoleServices;
  /** The built renderer, usually `out/renderer`. */
  rendererDir: string;
  host?: string;
  port?: number;
}

export interface WebHost {
  /** `http://127.0.0.1:PORT/#token=…`: the address to open. */
  url: string;
  baseUrl: string;
  token: string;
  close(): Promise<void>;
}

interface BridgeClientEvents {
  [ipcChannels.call]: (name: unknown, args: unknown, ack: (reply: CallReply<unknown>) => void) => void;
}
interface BridgeServerEvents {
  [ipcChannels.event]: (event: string, payload: unknown) => void;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokenMatches(expected: string, given: unknown): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(expected), digest(given));
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const host = opts.host ?? '127.0.0.1';
  const token = randomBytes(32).toString('base64url');
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  let csp = contentSecurityPolicy();

  const httpServer = createServer((req, res) => serveStatic(req, res));

  function serveStatic(req: IncomingMessage, res: ServerResponse): void {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0].split('#')[0];
    const file = resolveStaticFile(opts.rendererDir, path);
    if (!file) {
      res.writeHead(404, { ...securityHeaders(csp), 'Content-Type': 'text/plain; charset=utf-8' }).end();
      return;
    }
    res.writeHead(200, {
      ...securityHeaders(csp),
      'Content-Type': mimeType(file),
      // The page must never be served stale after a rebuild; hashed assets may be cached.
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  const io = new Server<BridgeClientEvents, BridgeServerEvents>(httpServer, {
    path: BRIDGE_PATH,
    serveClient: false,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    allowRequest: (req, callback) => {
      const hostOk = allowedHosts.has(req.headers.host ?? '');
      const origin = req.headers.origin;
      // Browsers always send Origin on WebSocket and cross-origin requests; Node clients may not.
      callback(null, hostOk && (origin === undefined || allowedOrigins.has(origin)));
    },
  });
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    if (tokenMatches(token, auth?.token)) next();
    else next(Object.assign(new Error('forbidden'), { data: { code: 'forbidden' } }));
  });
  io.on('connection', (socket) => {
    socket.on(ipcChannels.call, (name, args, ack) => {
      if (typeof ack !== 'function') return;
      void opts.services.dispatch(name, args).then(ack);
    });
  });
  const off = opts.services.on((event, payload) => {
    io.emit(ipcChannels.event, event, payload);
  });

  await new Promise<void>((resolveListen, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 0, host, () => {
      httpServer.off('error', reject);
      resolveListen();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${hostPart}:${port}`;
  allowedHosts = new Set([`${hostPart}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`]);
  allowedOrigins = new Set([`http://${hostPart}:${port}`, `http://localhost:${port}`, `http://127.0.0.1:${port}`]);
  csp = contentSecurityPolicy([`ws://${hostPart}:${port}`, `ws://localhost:${port}`]);

  let closing: Promise<void> | null = null;
  return {
    url: `${baseUrl}/#token=${token}`,
    baseUrl,
    token,
    close() {
      closing ??= new Promise<void>((done) => {
        off();
        io.disconnectSockets(true);
        void io.close(() => done());
        httpServer.closeAllConnections();
      });
      return closing;
    },
  };
}
