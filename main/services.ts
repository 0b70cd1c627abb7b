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
import { mainBoards, openLocalStore } from './boards';
import type { ServiceContext } from './context';
import { exportReporter } from './admin/exports';
import { registerAdminHandlers } from './admin/handlers';
import { registerDiagnosticHandlers } from './diagnostic';
import { HandlerTable } from './handlers';
import { createMainLog, packageVersion, type MainLog } from './log';
import { registerReferentialHandlers } from './referential/handlers';
import { registerSessionHandlers } from './session/handlers';
import type { SecretBox } from './session/sessionFile';
import { SessionManager, type SyncTuning } from './session/sessionManager';
import { registerSyncHandlers } from './sync/handlers';
import type { ConsoleEvents, EventName } from '../common/api';
import { fr } from '../common/i18n/fr';

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
  serverUrl: string;
  /** The folder holding `referential/` (default: the repository's `resources/`). */
  resourcesDir?: string;
  /** Seals the session token at rest (Electron: safeStorage). */
  secretBox?: SecretBox;
  /** The Electron build of better-sqlite3, when running under Electron. */
  nativeBinding?: string;
  /** Also receives each line the services log (the web host prints them on stderr); the log file gets them regardless. */
  log?: (line: string) => void;
  /** The app's version for the log and the diagnostic (Electron: `app.getVersion()`; default: package.json's). */
  appVersion?: string;
  /** Tests: rotate the log file sooner. */
  logRotation?: { size?: `${number}${'B' | 'K' | 'M' | 'G'}`; keep?: number };
  /** Timeouts and batch sizes, for tests and benchmarks. */
  syncTuning?: SyncTuning;
}

/** The repository's `resources/` seen from this file, from its bundle in `out/main/`, or from the working directory. */
function defaultResourcesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '..', 'resources'), resolve(here, '..', '..', 'resources'), resolve(process.cwd(), 'resources')];
  return candidates.find((c) => existsSync(join(c, 'referential'))) ?? candidates[0];
}

/** Calls worth a line of their own in the log when they succeed (never with their arguments). */
const LOGGED_CALLS: ReadonlySet<string> = new Set(['session.login', 'session.logout', 'beds.export']);
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

  const session = new SessionManager({
    dataDir: opts.dataDir,
    serverUrl: opts.serverUrl,
    secretBox: opts.secretBox,
    territories: getTerritories,
    openStore: (file) => openLocalStore(file, getTerritories(), { nativeBinding: opts.nativeBinding }),
    emit,
    log,
    syncTuning: opts.syncTuning,
  });
  sessionRef = session;
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
  registerDiagnosticHandlers(table, ctx, { dataDir: opts.dataDir, appVersion, log: mainLog });
  registerAdminHandlers(table, ctx);
  const boardList: readonly MainBoard[] = mainBoards;
  for (const b of boardList) b.register(table, ctx);
  table.assertComplete();

  getTerritories();
  session.resume();
  logger.info(fr.log.started);

  /** Runs a call and logs what support needs: logins, logouts, exports, failures (name and code only, never arguments). */
  const dispatch = async (name: unknown, args: unknown): Promise<CallReply<unknown>> => {
    const who = name === 'session.logout' ? session.logContext() : null;
    const reply = await table.dispatch(name, args);
    const call = typeof name === 'string' ? name.slice(0, 80) : typeof name;
    if (!reply.ok) {
      if (!QUIET_CODES.has(reply.error.code)) logger.warn({ call, code: reply.error.code }, fr.log.callFailed);
    } else if (LOGGED_CALLS.has(call)) {
      if (call === 'session.login') logger.info({ call }, fr.log.loggedIn);
      else if (call === 'session.logout') logger.info({ call, ...who }, fr.log.loggedOut);
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
      session.close();
      listeners.clear();
      logger.info(fr.log.stopped);
      await mainLog.close();
    },
  };
}
