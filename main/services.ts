/**
 * The main-process services behind ConsoleApi, host-agnostic: Electron's main process wires
 * them to IPC, the web host to a Socket.IO bridge, tests call them directly. Nothing here or
 * below imports `electron`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallReply } from '../common/engine/calls';
import { loadTerritories, type Territories } from '../common/territory';
import type { MainBoard } from './board';
import { mainBoards, openLocalStore, type VigieStore } from './boards';
import type { ServiceContext } from './context';
import { exportReporter } from './admin/exports';
import { registerAdminHandlers } from './admin/handlers';
import { registerDiagnosticHandlers } from './diagnostic';
import { ApiError, HandlerTable } from './handlers';
import { createMainLog, packageVersion, type MainLog } from './log';
import { registerReferentialHandlers } from './referential/handlers';
import { registerSessionHandlers } from './session/handlers';
import type { SecretBox } from './session/sessionFile';
import { SessionManager, type SyncTuning } from './session/sessionManager';
import { CacheKeyMismatch } from './store/cipher';
import { CacheKeyError, type CacheKeySource } from './store/cipherKey';
import { registerSyncHandlers } from './sync/handlers';
import type { SyncServerConfig } from './sync/transport';
import type { UpdateService } from './updates/controller';
import { registerUpdateHandlers } from './updates/handlers';
import { updatesOff, type UpdatesFactory } from './updates/service';
import type { ConsoleEvents, EventName } from '../common/api';
import { fr } from '../common/i18n/fr';
import { registerSetupHandlers } from './firstRun/handlers';
import { NO_SERVER_URL, resolveServer } from './firstRun/serverChoice';
import { WorkstationFile } from './firstRun/workstation';
import { enforceLockedSettings, UNMANAGED, type WorkstationPolicy } from './policy';
import { registerPolicyHandlers } from './policy/handlers';
import { proxyResolver, type SystemProxyLookup } from './sync/proxy';

export type ConsoleListener = <E extends EventName>(event: E, payload: ConsoleEvents[E]) => void;

export interface ConsoleServices {
  /** Runs one ConsoleApi call. Never throws: failures come back as `{ok: false, error}`. */
  dispatch(name: unknown, args: unknown): Promise<CallReply<unknown>>;
  /** Subscribes to pushed events; returns the unsubscribe. */
  on(listener: ConsoleListener): () => void;
  /** Stops syncing, closes the cache and the log. */
  close(): Promise<void>;
  /** The workstation's log (`<data dir>/logs/vigie.log`). */
  readonly log: MainLog;
}

export interface ConsoleServicesOptions {
  /** Where the session file and the per-user caches live (Electron: `app.getPath('userData')`). */
  dataDir: string;
  /** The address given by the command line or `VIGIE_SERVER_URL` (`https://…`, or `http://` to this machine only); null: the policy's, else the first-run choice. */
  serverUrl: string | null;
  /** The pin of that server's certificate (`SyncServerConfig.certFingerprint`): with it, only that certificate is accepted. The policy's pin goes with the policy's address. */
  certFingerprint?: SyncServerConfig['certFingerprint'];
  /** The administrator policy in force (default: none). Its server address wins over `serverUrl`. */
  policy?: WorkstationPolicy;
  /**
   * The system's proxy for a url, as Chromium resolves it (Electron: `session.resolveProxy`),
   * used when the policy's proxy is `system`; absent (web host, tests): `HTTPS_PROXY` and `NO_PROXY`.
   */
  systemProxy?: SystemProxyLookup;
  /** The folder holding `referential/` (default: the repository's `resources/`). */
  resourcesDir?: string;
  /** Seals the session token at rest (Electron: safeStorage). */
  secretBox?: SecretBox;
  /** The Electron build of better-sqlite3-multiple-ciphers, when running under Electron. */
  nativeBinding?: string;
  /**
   * The key of the encrypted caches (Electron: wrapped by safeStorage; web host: a 0600 key
   * file or `VIGIE_CACHE_KEY`). Without one the caches are plain SQLite: tests only.
   */
  cacheKey?: CacheKeySource;
  /** Also receives each line the services log (the web host prints them on stderr); the log file gets them regardless. */
  log?: (line: string) => void;
  /** The app's version for the log and the diagnostic (Electron: `app.getVersion()`; default: package.json's). */
  appVersion?: string;
  /** Tests: rotate the log file sooner. */
  logRotation?: { size?: `${number}${'B' | 'K' | 'M' | 'G'}`; keep?: number };
  /** Timeouts and batch sizes, for tests and benchmarks. */
  syncTuning?: SyncTuning;
  /** The desktop app's updates (main/updates); default: off (web host, tests). */
  updates?: UpdatesFactory;
}

/** The repository's `resources/` seen from this file, from its bundle in `out/main/`, or from the working directory. */
function defaultResourcesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '..', 'resources'), resolve(here, '..', '..', 'resources'), resolve(process.cwd(), 'resources')];
  return candidates.find((c) => existsSync(join(c, 'referential'))) ?? candidates[0];
}

/** Calls worth a line of their own in the log when they succeed (never with their arguments). */
const LOGGED_CALLS: ReadonlySet<string> = new Set(['session.login', 'session.secondFactor', 'session.logout', 'session.logoutEverywhere', 'session.eraseLocalData', 'beds.export']);
/** Refusals the user sees and fixes in the UI: not worth a warning each. */
const QUIET_CODES: ReadonlySet<string> = new Set(['bad_args', 'not_logged_in', 'rejected']);

export function createConsoleServices(opts: ConsoleServicesOptions): ConsoleServices {
  const appVersion = opts.appVersion ?? packageVersion();
  // Late-bound: the log names the signed-in user, known once the session manager exists.
  let sessionRef: SessionManager | null = null;
  const mainLog = createMainLog({ dataDir: opts.dataDir, version: appVersion, context: () => sessionRef?.logContext() ?? null, rotation: opts.logRotation });
  const logger = mainLog.logger;
  // The services' own lines (sync failures, resume errors…) are warnings in the file.
  const log = (line: string): void => {
    logger.warn(line);
    opts.log?.(line);
  };
  const referentialDir = join(opts.resourcesDir ?? defaultResourcesDir(), 'referential');
  let territories: Territories | null = null;
  const getTerritories = (): Territories => {
    territories ??= loadTerritories((file) => readFileSync(join(referentialDir, file), 'utf8'));
    return territories;
  };

  const listeners = new Set<ConsoleListener>();
  let lastSyncState: string | null = null;
  // Late-bound like the session: the update service follows the outbox through the sync status.
  let updates: UpdateService | null = null;
  const emit: ConsoleListener = (event, payload) => {
    for (const l of [...listeners]) {
      try {
        l(event, payload);
      } catch (err) {
        logger.error({ event, err }, fr.log.listenerFailed);
      }
    }
    if (event === 'sync.status') {
      // Only changes of state: a status is emitted at every write.
      const st = payload as ConsoleEvents['sync.status'];
      updates?.outboxChanged(st.pending);
      if (st.state !== lastSyncState && st.state !== 'syncing') {
        // Lost after being online: a warning; still connecting (start-up, login): information.
        if (st.state === 'offline') logger[lastSyncState === 'online' ? 'warn' : 'info']({ pending: st.pending, rejected: st.rejected, detail: st.detail }, fr.log.syncOffline);
        else logger.info({ pending: st.pending, rejected: st.rejected }, fr.log.syncOnline);
        lastSyncState = st.state;
      }
    }
    if (event === 'mutation.rejected') {
      const r = payload as ConsoleEvents['mutation.rejected'];
      logger.warn({ mutationId: r.mutationId, call: r.name }, fr.log.mutationRejected);
    }
  };

  const policy = opts.policy ?? UNMANAGED;
  const workstation = new WorkstationFile(opts.dataDir);
  const server = resolveServer(policy, opts.serverUrl, workstation.read().serverUrl);
  const locked = policy.locked();
  // The policy's proxy for the login, the sync connection and the first-run test alike.
  const proxy = proxyResolver(policy.proxy(), { system: opts.systemProxy });
  const session = new SessionManager({
    dataDir: opts.dataDir,
    serverUrl: server.url ?? NO_SERVER_URL,
    certFingerprint: server.source === 'policy' ? (policy.serverFingerprint() ?? undefined) : opts.certFingerprint,
    proxy,
    secretBox: opts.secretBox,
    territories: getTerritories,
    openStore: (file) => {
      let store: VigieStore;
      try {
        store = openLocalStore(file, getTerritories(), { nativeBinding: opts.nativeBinding, key: opts.cacheKey?.key() });
      } catch (err) {
        // A lost or foreign key: the user reads why and what to do (erase the local data), nothing was changed.
        if (err instanceof CacheKeyMismatch || err instanceof CacheKeyError) throw new ApiError('internal', err.message);
        throw err;
      }
      // A policy value always wins: written over this user's settings before anything reads them.
      enforceLockedSettings(store, locked);
      return store;
    },
    emit,
    log,
    syncTuning: opts.syncTuning,
    cacheKey: opts.cacheKey,
  });
  sessionRef = session;
  updates = (opts.updates ?? updatesOff)({
    pendingCount: () => session.syncStatus().pending,
    emit: (status) => emit('update.status', status),
    onError: (detail) => logger.warn({ detail: detail.slice(0, 300) }, fr.log.updateFailed),
  });
  const ctx: ServiceContext = { territories: getTerritories, session, emit };

  // A call that failed unexpectedly is an error (with its stack), not a warning.
  const table = new HandlerTable(
    (line) => {
      logger.error(line);
      opts.log?.(line);
    },
    exportReporter(ctx, (line) => logger.warn(line)),
  );
  registerSessionHandlers(table, ctx);
  registerReferentialHandlers(table, ctx);
  registerSyncHandlers(table, ctx);
  registerDiagnosticHandlers(table, ctx, { dataDir: opts.dataDir, appVersion, log: mainLog, policy: () => policy.summary() });
  registerUpdateHandlers(table, updates);
  registerPolicyHandlers(table, { policy, workstation });
  registerSetupHandlers(table, ctx, { policy, workstation, server, proxy });
  registerAdminHandlers(table, ctx);
  const boardList: readonly MainBoard[] = mainBoards;
  for (const b of boardList) b.register(table, ctx);
  table.assertComplete();

  getTerritories();
  session.resume();
  logger.info(fr.log.started);

  /** Runs a call and logs what support needs: logins, logouts, exports, failures (name and code only, never arguments). */
  const dispatch = async (name: unknown, args: unknown): Promise<CallReply<unknown>> => {
    const who = name === 'session.logout' || name === 'session.logoutEverywhere' || name === 'session.eraseLocalData' ? session.logContext() : null;
    // A settings call that would change what the policy locks is refused before its handler.
    const refusal = typeof name === 'string' ? policy.refusal(name, args) : null;
    const reply: CallReply<unknown> = refusal ? { ok: false, error: { code: 'rejected', message: refusal } } : await table.dispatch(name, args);
    const call = typeof name === 'string' ? name.slice(0, 80) : typeof name;
    if (!reply.ok) {
      if (!QUIET_CODES.has(reply.error.code)) logger.warn({ call, code: reply.error.code }, fr.log.callFailed);
    } else if (LOGGED_CALLS.has(call)) {
      if (call === 'session.login' || call === 'session.secondFactor') {
        // A password that only led to the second factor is not a login yet.
        const signedIn = typeof reply.data === 'object' && reply.data !== null && 'user' in reply.data;
        if (signedIn) logger.info({ call }, fr.log.loggedIn);
      } else if (call === 'session.logout' || call === 'session.logoutEverywhere' || call === 'session.eraseLocalData') logger.info({ call, ...who }, fr.log.loggedOut);
      else logger.info({ call }, fr.log.exported);
    }
    return reply;
  };

  let closed = false;
  return {
    log: mainLog,
    dispatch,
    on(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      updates?.stop();
      session.close();
      listeners.clear();
      logger.info(fr.log.stopped);
      await mainLog.close();
    },
  };
}
