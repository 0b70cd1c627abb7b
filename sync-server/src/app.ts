/**
 * The sync server, assembled: store, auth, HTTP routes and Socket.IO on one `http.Server`,
 * with every board of the registry (`boards.ts`) attached. Nothing listens until `listen()`,
 * so tests run it on port 0.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { fr } from '../../common/i18n/fr';
import type { Territories } from '../../common/territory';
import { identityOf } from './auth/actor';
import { AuthService, DEFAULT_SESSION_TTL_MS, type SecondFactorPolicy } from './auth/authService';
import { TrustedProxies } from './auth/clientAddress';
import { LoginThrottle, memoryLimiters, type LimiterFactory } from './auth/rateLimit';
import type { HttpRoute, ServerBoard, SocketHandler } from './board';
import { serverBoards, type BoardStores } from './boards';
import { errorText } from './errors';
import { createServerLog, lineLogger, type LogFn, type ServerLogger } from './log';
import { createHttpHandler } from './http/routes';
import { territoriesRoute } from './http/territories';
import { SqliteServerStore, type SqliteStoreOptions } from './store/sqliteStore';
import { pgBoardParts } from './store/pg/boards';
import { isPostgresUrl, PgServerStore, type PgStoreOptions } from './store/pg/pgStore';
import type { ScopedChange, ServerStore } from './store/types';
import { fanOut } from './sync/fanout';
import { connectRedisBus, type RedisBus } from './sync/redisBus';
import { attachSyncHandlers, cutRevokedSockets, type SyncIo } from './sync/socket';
import { SyncService } from './sync/syncService';
import { checkPush } from './sync/validate';
import { checkPlainListen } from './tls';
import { AuditRecorder } from './audit/recorder';
import { UserAdmin } from './users/admin';
import { adminSocketHandlers } from './users/handlers';
import { checkRetentionDays, DEFAULT_SUMMARY_RETENTION_DAYS, purgeExpiredSummaries, RETENTION_ACTOR, SUMMARY_PURGE_EVERY_MS } from './transfers/retention';
import { MAX_FRAME_BYTES, syncWire, type ClientToServerEvents, type PushRequest, type PushResult, type Reply, type ServerToClientEvents } from '../../common/protocol';

/** A connected socket's session is checked again this often (logout elsewhere, disabled user). */
export const DEFAULT_SESSION_SWEEP_MS = 30_000;

export interface AppOptions {
  /** SQLite file (its folder is created), `:memory:`, or a PostgreSQL url (`postgres://…`, CLI `--db`). */
  dbPath: string;
  territories: Territories;
  now?: () => Date;
  /** How long a login lasts at most (its refresh tokens' end); default 24 h. */
  sessionTtlMs?: number;
  /** How long one access token lasts (default 15 min, never past the login's end). */
  accessTtlMs?: number;
  /**
   * Who must use TOTP. Default: national and ARS accounts (`MANDATORY_SECOND_FACTOR_ROLES`);
   * the CLI always includes them and `--totp-roles` adds others, `--demo` waives the demo accounts.
   */
  secondFactor?: SecondFactorPolicy;
  /** How often the sessions generation is read to cut sockets revoked by another process (default 0.5 s). */
  revocationPollMs?: number;
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
  /** Where the login brakes keep their counters (default: this process's memory, or Redis with `redis`). */
  loginLimiters?: LimiterFactory;
  /**
   * Several nodes behind one address (CLI `--redis`, issue 11): pokes cross nodes through
   * Socket.IO's Redis Streams adapter and the login brakes count in this Redis
   * (`sync/redisBus.ts`). A bad url throws a French error; an unreachable Redis does not stop
   * the node. Use with a PostgreSQL store shared by the nodes.
   */
  redis?: string;
  /**
   * Serve HTTPS and WSS with this certificate (PEM, chain after it) and key (CLI
   * `--tls-cert`, `--tls-key`; `tls.ts` checks the files). Without it the server speaks
   * plain HTTP and `listen` accepts only a loopback host.
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Let `listen` serve plain HTTP off loopback (CLI `--insecure-allow-plain`), with a loud warning. */
  allowPlain?: boolean;
  /**
   * Days a finished transfer's clinical summary is kept (CLI `--summary-retention-days`,
   * default `DEFAULT_SUMMARY_RETENTION_DAYS`): the server erases the expired ones once at
   * start, then every hour (`transfers/retention.ts`). A bad value throws a French error.
   */
  summaryRetentionDays?: number;
}

export interface SyncServerApp {
  store: ServerStore<BoardStores>;
  /** The Redis link with `redis`, else null. */
  redis: RedisBus | null;
  httpServer: HttpServer;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  territories: Territories;
  /**
   * Resolves the base url, e.g. `http://127.0.0.1:43121` (`https://` with `tls`). Port 0
   * picks a free port. Without `tls`, a host that is not loopback is refused (a French
   * `TlsConfigError`) unless `allowPlain`.
   */
  listen(port?: number, host?: string): Promise<string>;
  /**
   * Serves another certificate and key from now on (a rotation, CLI: SIGHUP): new
   * connections get it, open ones keep theirs. Throws on a server started without `tls`.
   */
  reloadTls(tls: { cert: string | Buffer; key: string | Buffer }): void;
  /**
   * An administrator's revoke: ends every session of `userId` (access and refresh tokens)
   * and cuts its live sockets at once. Returns the logins ended. (Revocations written by
   * another process are seen within `revocationPollMs`.)
   */
  revokeUserSessions(userId: string): Promise<number>;
  /** Runs the clinical summaries' retention purge now (what the hourly timer does); resolves the transfers whose summary was erased. */
  purgeSummaries(): Promise<string[]>;
  /** Pushes as a user without a socket (demo seeding); `at`: the server's clock for it, default now. */
  pushAs(userId: string, req: PushRequest, at?: Date): Promise<Reply<PushResult>>;
  /** Closes sockets, the HTTP server and the database. Idempotent. */
  close(): Promise<void>;
}

export function createApp(opts: AppOptions): SyncServerApp {
  const now = opts.now ?? (() => new Date());
  const log: LogFn = opts.logger ? lineLogger(opts.logger) : (opts.log ?? lineLogger(createServerLog().logger));
  const trustedProxies = TrustedProxies.parse(opts.trustedProxies ?? []);
  const retentionDays = checkRetentionDays(opts.summaryRetentionDays ?? DEFAULT_SUMMARY_RETENTION_DAYS);
  const bus = opts.redis ? connectRedisBus(opts.redis, log) : null;
  const store = openStore(opts.dbPath, opts.territories);
  // The io instance is created after the handlers that need it (logout closes sockets, the
  // services poke): late-bound.
  let io: SyncIo | undefined;
  const auth = new AuthService(store, opts.territories, now, opts.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS, new LoginThrottle(opts.loginLimiters ?? bus?.limiters ?? memoryLimiters), {
    accessTtlMs: opts.accessTtlMs,
    secondFactor: opts.secondFactor,
    onRevoked: (revoked) => {
      if (io) cutRevokedSockets(io, revoked);
    },
  });
  const pokeChanges = (changes: ScopedChange[]) => {
    const target = io;
    // Redis down: this node's sockets only, at once (the others catch up by pull), rather than
    // every poke waiting for Redis to come back.
    const emitter = target && bus && !bus.connected() ? target.local : target;
    if (emitter) fanOut(changes, (rooms, poke) => emitter.to(rooms).emit(syncWire.poke, poke));
  };
  const boardRoutes: HttpRoute[] = [];
  const boardEvents = new Map<string, SocketHandler>();
  const reservedClientIds: string[] = [];
  const boardList: readonly ServerBoard[] = serverBoards;
  const audit = new AuditRecorder(store, now);
  // A board's query refused on scope (`forbidden`: another branch's unit, stocks, chart) is
  // recorded, as the engine's and the administration's refusals are (issue 10).
  const auditedRefusals =
    (event: string, handler: SocketHandler): SocketHandler =>
    async (actor, raw) => {
      const reply = await handler(actor, raw);
      if ('error' in reply && reply.error.code === 'forbidden') await audit.refused(actor, { resource: event, action: 'read' });
      return reply;
    };
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
        boardEvents.set(event, auditedRefusals(event, handler));
      },
      route: (r) => boardRoutes.push(r),
      reserveClientIds: (prefix) => reservedClientIds.push(prefix),
    });
  }
  // User administration and the audit trail's socket events, beside the boards'.
  // A disabled account: the store has ended its sessions and refresh families in the same
  // transaction; its live sockets are cut here at once (other nodes see the generation bump).
  const userAdmin = new UserAdmin({ store, territories: opts.territories, now, endUserSessions: (userId) => {
    if (io) cutRevokedSockets(io, { userId });
  } });
  for (const [event, handler] of adminSocketHandlers({ admin: userAdmin, store, now })) {
    if (boardEvents.has(event)) throw new Error(`socket event declared twice: ${event}`);
    boardEvents.set(event, handler);
  }
  // The referential the server decides with, for independent clients (docs/protocol.md §8).
  boardRoutes.push(territoriesRoute(auth, opts.territories));
  const handler = createHttpHandler(
    {
      auth,
      trustedProxies,
      log,
      audit,
    },
    boardRoutes,
  );
  // An https.Server is an http.Server for everything below (Socket.IO, close, keep-alive).
  const httpsServer: HttpsServer | null = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : null;
  const httpServer: HttpServer = httpsServer ?? createServer(handler);
  // Idle keep-alive connections would otherwise hold `close()` open for seconds.
  httpServer.keepAliveTimeout = 5_000;

  const sioServer: SyncIo = new Server(httpServer, {
    maxHttpBufferSize: MAX_FRAME_BYTES,
    serveClient: false,
  });
  if (bus) sioServer.adapter(bus.adapter);
  io = sioServer;
  const sync = new SyncService(store, now, pokeChanges, log, audit);
  const sockets = attachSyncHandlers(sioServer, {
    auth,
    store,
    sync,
    territories: opts.territories,
    boardEvents,
    reservedClientIds,
    now,
    sessionSweepMs: opts.sessionSweepMs ?? DEFAULT_SESSION_SWEEP_MS,
    revocationPollMs: opts.revocationPollMs,
    log,
  });

  // Expired sessions are refused on lookup already; purging keeps the table small.
  const purge = setInterval(() => {
    store.purgeExpiredSessions(now()).catch((err: unknown) => log(`session purge failed: ${errorText(err)}`));
  }, 60 * 60 * 1000);
  purge.unref();
  // Clinical summaries past their retention: once at start (after this tick, once the app is
  // assembled), then hourly. Runs never overlap: the store's transactions are synchronous.
  const purgeSummaries = () => purgeExpiredSummaries(store.boards.transfers, { retentionDays, now: now(), actor: RETENTION_ACTOR, poke: pokeChanges });
  const runSummaryPurge = () => {
    purgeSummaries()
      .then((ids) => {
        if (ids.length > 0) log(`clinical summaries past retention purged: ${ids.length}`, { level: 'info' });
      })
      .catch((err: unknown) => log(`clinical summary purge failed: ${errorText(err)}`, { level: 'error' }));
  };
  const summaryPurgeAtStart = setTimeout(runSummaryPurge, 0);
  const summaryPurge = setInterval(runSummaryPurge, SUMMARY_PURGE_EVERY_MS);
  summaryPurge.unref();

  let closing: Promise<void> | undefined;

  return {
    store,
    redis: bus,
    httpServer,
    io: sioServer,
    territories: opts.territories,

    listen(port = 0, host = '127.0.0.1') {
      let warning: string | null;
      try {
        warning = checkPlainListen(host, opts.tls !== undefined, opts.allowPlain === true);
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      if (warning) log(warning, { level: 'warn' });
      const scheme = opts.tls ? 'https' : 'http';
      return new Promise<string>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        httpServer.once('error', onError);
        httpServer.listen(port, host, () => {
          httpServer.off('error', onError);
          const addr = httpServer.address() as AddressInfo;
          const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          resolve(`${scheme}://${shownHost}:${addr.port}`);
        });
      });
    },

    reloadTls(tls) {
      if (!httpsServer) throw new Error('reloadTls: this server was started without TLS');
      httpsServer.setSecureContext({ cert: tls.cert, key: tls.key });
    },
    revokeUserSessions: (userId) => auth.revokeUserSessions(userId),
    purgeSummaries,

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
        clearTimeout(summaryPurgeAtStart);
        clearInterval(summaryPurge);
        sockets.close();
        // io.close() disconnects every socket and closes the http server it is attached to.
        await new Promise<void>((resolve) => {
          sioServer.close(() => resolve());
        });
        httpServer.closeAllConnections();
        await bus?.close();
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
