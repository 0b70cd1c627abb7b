/**
 * The sync server, assembled: store, auth, HTTP routes and Socket.IO on one `http.Server`,
 * with every board of the registry (`boards.ts`) attached. Nothing listens until `listen()`,
 * so tests run it on port 0.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { fr } from '../../common/i18n/fr';
import type { Territories } from '../../common/territory';
import { identityOf } from './auth/actor';
import { AuthService, DEFAULT_SESSION_TTL_MS } from './auth/authService';
import { TrustedProxies } from './auth/clientAddress';
import { LoginThrottle, memoryLimiters, type LimiterFactory } from './auth/rateLimit';
import type { HttpRoute, ServerBoard, SocketHandler } from './board';
import { serverBoards, type BoardStores } from './boards';
import { errorText } from './errors';
import { createServerLog, lineLogger, type LogFn, type ServerLogger } from './log';
import { createHttpHandler } from './http/routes';
import { SqliteServerStore, type SqliteStoreOptions } from './store/sqliteStore';
import { pgBoardParts } from './store/pg/boards';
import { isPostgresUrl, PgServerStore, type PgStoreOptions } from './store/pg/pgStore';
import type { ScopedChange, ServerStore } from './store/types';
import { fanOut } from './sync/fanout';
import { attachSyncHandlers, type SyncIo } from './sync/socket';
import { SyncService } from './sync/syncService';
import { checkPush } from './sync/validate';
import { MAX_FRAME_BYTES, syncWire, type ClientToServerEvents, type PushRequest, type PushResult, type Reply, type ServerToClientEvents } from '../../common/protocol';

/** A connected socket's session is checked again this often (logout elsewhere, disabled user). */
export const DEFAULT_SESSION_SWEEP_MS = 30_000;

export interface AppOptions {
  /** SQLite file (its folder is created), `:memory:`, or a PostgreSQL url (`postgres://…`, CLI `--db`). */
  dbPath: string;
  territories: Territories;
  now?: () => Date;
  sessionTtlMs?: number;
  /** How often connected sockets' sessions are checked again (default 30 s). */
  sessionSweepMs?: number;
  /**
   * Where the server logs (pino, JSON lines: `sync-server/src/log.ts`). Default: a logger on
   * stderr. Lines about a socket carry its user id and client id.
   */
  logger?: ServerLogger;
  /** Tests: receives each line's text instead of a logger (ignored when `logger` is given). */
  log?: LogFn;
  /**
   * Reverse proxies whose `X-Forwarded-For` gives the client's address (addresses, CIDR
   * blocks or `loopback`; CLI `--trusted-proxy`). Empty (default): the header is ignored.
   * A bad entry throws a French error.
   */
  trustedProxies?: readonly string[];
  /** Where the login brakes keep their counters (default: this process's memory). */
  loginLimiters?: LimiterFactory;
}

export interface SyncServerApp {
  store: ServerStore<BoardStores>;
  httpServer: HttpServer;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  territories: Territories;
  /** Resolves the base url, e.g. `http://127.0.0.1:43121`. Port 0 picks a free port. */
  listen(port?: number, host?: string): Promise<string>;
  /**
   * Pushes mutations as a stored user, through the same path as a socket's push (checks,
   * exactly-once, change log, pokes). For seeding and server-side tools.
   */
  /** Pushes as a user without a socket (demo seeding); `at`: the server's clock for it, default now. */
  pushAs(userId: string, req: PushRequest, at?: Date): Promise<Reply<PushResult>>;
  /** Closes sockets, the HTTP server and the database. Idempotent. */
  close(): Promise<void>;
}

export function createApp(opts: AppOptions): SyncServerApp {
  const now = opts.now ?? (() => new Date());
  const log: LogFn = opts.logger ? lineLogger(opts.logger) : (opts.log ?? lineLogger(createServerLog().logger));
  const trustedProxies = TrustedProxies.parse(opts.trustedProxies ?? []);
  const store = openStore(opts.dbPath, opts.territories);
  const auth = new AuthService(store, opts.territories, now, opts.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS, new LoginThrottle(opts.loginLimiters ?? memoryLimiters));

  // The io instance is created after the handlers that need it (logout closes sockets, the
  // services poke): late-bound.
  let io: SyncIo | undefined;
  const pokeChanges = (changes: ScopedChange[]) => {
    const target = io;
    if (target) fanOut(changes, (rooms, poke) => target.to(rooms).emit(syncWire.poke, poke));
  };
  const boardRoutes: HttpRoute[] = [];
  const boardEvents = new Map<string, SocketHandler>();
  const reservedClientIds: string[] = [];
  const boardList: readonly ServerBoard[] = serverBoards;
  const boardStores: Readonly<Record<string, unknown>> = store.boards;
  for (const b of boardList) {
    b.attach?.({
      store,
      own: boardStores[b.board.name],
      territories: opts.territories,
      now,
      poke: pokeChanges,
      log,
      onSocket(event, handler) {
        if (boardEvents.has(event) || Object.values(syncWire).includes(event as never)) throw new Error(`socket event declared twice: ${event}`);
        boardEvents.set(event, handler);
      },
      route: (r) => boardRoutes.push(r),
      reserveClientIds: (prefix) => reservedClientIds.push(prefix),
    });
  }
  const httpServer = createServer(
    createHttpHandler(
      {
        auth,
        trustedProxies,
        log,
        onLogout: (tokenHash) => {
          if (!io) return;
          for (const socket of io.of('/').sockets.values()) {
            if (socket.data.session?.tokenHash === tokenHash) socket.disconnect(true);
          }
        },
      },
      boardRoutes,
    ),
  );
  // Idle keep-alive connections would otherwise hold `close()` open for seconds.
  httpServer.keepAliveTimeout = 5_000;

  const sioServer: SyncIo = new Server(httpServer, {
    maxHttpBufferSize: MAX_FRAME_BYTES,
    serveClient: false,
  });
  io = sioServer;
  const sync = new SyncService(store, now, pokeChanges, log);
  const sockets = attachSyncHandlers(sioServer, {
    auth,
    store,
    sync,
    territories: opts.territories,
    boardEvents,
    reservedClientIds,
    now,
    sessionSweepMs: opts.sessionSweepMs ?? DEFAULT_SESSION_SWEEP_MS,
    log,
  });

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

    async pushAs(userId, raw, at) {
      const checked = checkPush(raw, raw.clientId);
      if (!checked.ok) return { error: checked.error };
      const req = checked.value;
      const record = await store.getUser(userId);
      const identity = record && !record.disabled ? identityOf(record, opts.territories) : null;
      if (!identity) return { error: { code: 'unauthenticated', message: fr.protocol.unauthenticated } };
      if ((await store.claimClient(req.clientId, userId)) !== 'ok') {
        return { error: { code: 'forbidden', message: fr.protocol.wrongClient } };
      }
      return sync.push(identity, req, at);
    },

    close() {
      closing ??= (async () => {
        clearInterval(purge);
        sockets.close();
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

/** The embedded SQLite store with every board of the registry. */
export type VigieServerStore = SqliteServerStore<BoardStores>;

/** Opens (creating and migrating) the embedded SQLite store with every board of the registry (the CLI's tools use it without the rest of the server). */
export function openServerStore(dbPath: string, territories: Territories, options?: SqliteStoreOptions): VigieServerStore {
  return new SqliteServerStore<BoardStores>(dbPath, territories, serverBoards, options);
}

/** The PostgreSQL store with every board of the registry. */
export type VigiePgStore = PgServerStore<BoardStores>;

/** The store `db` names: a PostgreSQL url (`postgres://…`) or a SQLite file (see `openServerStore`). */
export function openStore(db: string, territories: Territories, options?: SqliteStoreOptions & PgStoreOptions): ServerStore<BoardStores> {
  return isPostgresUrl(db)
    ? new PgServerStore<BoardStores>(db, territories, serverBoards, pgBoardParts, options)
    : openServerStore(db, territories, options);
}
