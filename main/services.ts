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
import { HandlerTable } from './handlers';
import { registerReferentialHandlers } from './referential/handlers';
import { registerSessionHandlers } from './session/handlers';
import type { SecretBox } from './session/sessionFile';
import { SessionManager, type SyncTuning } from './session/sessionManager';
import { registerSyncHandlers } from './sync/handlers';
import type { ConsoleEvents, EventName } from '../common/api';

export type ConsoleListener = <E extends EventName>(event: E, payload: ConsoleEvents[E]) => void;

export interface ConsoleServices {
  /** Runs one ConsoleApi call. Never throws: failures come back as `{ok: false, error}`. */
  dispatch(name: unknown, args: unknown): Promise<CallReply<unknown>>;
  /** Subscribes to pushed events; returns the unsubscribe. */
  on(listener: ConsoleListener): () => void;
  /** Stops syncing and closes the cache. */
  close(): Promise<void>;
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
  log?: (line: string) => void;
  /** Timeouts and batch sizes, for tests and benchmarks. */
  syncTuning?: SyncTuning;
}

/** The repository's `resources/` seen from this file, from its bundle in `out/main/`, or from the working directory. */
function defaultResourcesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '..', 'resources'), resolve(here, '..', '..', 'resources'), resolve(process.cwd(), 'resources')];
  return candidates.find((c) => existsSync(join(c, 'referential'))) ?? candidates[0];
}

export function createConsoleServices(opts: ConsoleServicesOptions): ConsoleServices {
  const log = opts.log ?? ((line: string) => process.stderr.write(`[vigie] ${line}\n`));
  const referentialDir = join(opts.resourcesDir ?? defaultResourcesDir(), 'referential');
  let territories: Territories | null = null;
  const getTerritories = (): Territories => {
    territories ??= loadTerritories((file) => readFileSync(join(referentialDir, file), 'utf8'));
    return territories;
  };

  const listeners = new Set<ConsoleListener>();
  const emit: ConsoleListener = (event, payload) => {
    for (const l of [...listeners]) {
      try {
        l(event, payload);
      } catch (err) {
        log(`event listener failed on ${event}: ${String(err)}`);
      }
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
  const ctx: ServiceContext = { territories: getTerritories, session, emit };

  const table = new HandlerTable(log);
  registerSessionHandlers(table, ctx);
  registerReferentialHandlers(table, ctx);
  registerSyncHandlers(table, ctx);
  const boardList: readonly MainBoard[] = mainBoards;
  for (const b of boardList) b.register(table, ctx);
  table.assertComplete();

  getTerritories();
  session.resume();

  let closed = false;
  return {
    dispatch: (name, args) => table.dispatch(name, args),
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
    },
  };
}
