/**
 * The sync server, assembled: store, auth, HTTP routes and Socket.IO on one `http.Server`.
 * Nothing listens until `listen()`, so tests run it on port 0.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { fr } from '../../common/i18n/fr';
import {
  MAX_FRAME_BYTES,
  wire,
  type ClientToServerEvents,
  type PushRequest,
  type PushResult,
  type Reply,
  type ServerToClientEvents,
} from '../../common/protocol';
import type { Territories } from '../../common/territory';
import { identityOf } from './auth/actor';
import { AuthService, DEFAULT_SESSION_TTL_MS } from './auth/authService';
import { errorText } from './errors';
import { FeedService } from './feed/feedService';
import { createHttpHandler } from './http/routes';
import { SqliteServerStore } from './store/sqliteStore';
import type { ScopedChange, ServerStore } from './store/types';
import { fanOut } from './sync/fanout';
import { attachSyncHandlers, type SyncIo } from './sync/socket';
import { SyncService } from './sync/syncService';
import { checkPush } from './sync/validate';

export interface AppOptions {
  /** SQLite file (its folder is created), or `:memory:`. */
  dbPath: string;
  territories: Territories;
  now?: () => Date;
  sessionTtlMs?: number;
  log?: (line: string) => void;
}

export interface SyncServerApp {
  store: ServerStore;
  httpServer: HttpServer;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  territories: Territories;
  /** Resolves the base url, e.g. `http://127.0.0.1:43121`. Port 0 picks a free port. */
  listen(port?: number, host?: string): Promise<string>;
  /**
   * Pushes mutations as a stored user, through the same path as a socket's push (checks,
   * exactly-once, change log, pokes). For seeding and server-side tools.
   */
  pushAs(userId: string, req: PushRequest): Promise<Reply<PushResult>>;
  /** Closes sockets, the HTTP server and the database. Idempotent. */
  close(): Promise<void>;
}

export function createApp(opts: AppOptions): SyncServerApp {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const store = new SqliteServerStore(opts.dbPath, opts.territories);
  const auth = new AuthService(store, opts.territories, now, opts.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS);

  // The io instance is created after the handlers that need it (logout closes sockets, the
  // services poke): late-bound.
  let io: SyncIo | undefined;
  const pokeChanges = (changes: ScopedChange[]) => {
    const target = io;
    if (target) fanOut(changes, (rooms, poke) => target.to(rooms).emit(wire.poke, poke));
  };
  const feed = new FeedService(store, opts.territories, now, pokeChanges, log);
  const httpServer = createServer(
    createHttpHandler({
      auth,
      store,
      feed,
      log,
      onLogout: (tokenHash) => {
        if (!io) return;
        for (const socket of io.of('/').sockets.values()) {
          if (socket.data.session?.tokenHash === tokenHash) socket.disconnect(true);
        }
      },
    }),
  );
  // Idle keep-alive connections would otherwise hold `close()` open for seconds.
  httpServer.keepAliveTimeout = 5_000;

  const sioServer: SyncIo = new Server(httpServer, {
    maxHttpBufferSize: MAX_FRAME_BYTES,
    serveClient: false,
  });
  io = sioServer;
  const sync = new SyncService(store, now, pokeChanges, log);
  attachSyncHandlers(sioServer, { auth, store, sync, territories: opts.territories, log });

  // Expired sessions are refused on lookup already; purging keeps the table small.
  const purge = setInterval(() => {
    store.purgeExpiredSessions(now()).catch((err: unknown) => log(`session purge failed: ${errorText(err)}`));
  }, 60 * 60 * 1000);
  purge.unref();

  let closing: Promise<void> | undefined;

  return {
    store,
    httpServer,
    io: sioServer,
    territories: opts.territories,

    listen(port = 0, host = '127.0.0.1') {
      return new Promise<string>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        httpServer.once('error', onError);
        httpServer.listen(port, host, () => {
          httpServer.off('error', onError);
          const addr = httpServer.address() as AddressInfo;
          const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          resolve(`http://${shownHost}:${addr.port}`);
        });
      });
    },

    async pushAs(userId, raw) {
      const checked = checkPush(raw, raw.clientId);
      if (!checked.ok) return { error: checked.error };
      const req = checked.value;
      const record = await store.getUser(userId);
      const identity = record && !record.disabled ? identityOf(record, opts.territories) : null;
      if (!identity) return { error: { code: 'unauthenticated', message: fr.protocol.unauthenticated } };
      if ((await store.claimClient(req.clientId, userId)) !== 'ok') {
        return { error: { code: 'forbidden', message: fr.protocol.wrongClient } };
      }
      return sync.push(identity, req);
    },

    close() {
      closing ??= (async () => {
        clearInterval(purge);
        // io.close() disconnects every socket and closes the http server it is attached to.
        await new Promise<void>((resolve) => {
          sioServer.close(() => resolve());
        });
        httpServer.closeAllConnections();
        await store.close();
      })();
      return closing;
    },
  };
}
