/**
 * « Exporter un diagnostic »: one JSON file a person can send to support. It says what runs
 * (versions, system), with which settings (the policy in force, `WorkstationPolicy.summary`), for whom (role,
 * client id — never the token), how the sync stands (server, cursor, pending and refused
 * counts, last errors), and the last log lines, which are already redacted (`common/log.ts`)
 * and scrubbed once more here. It never reads the cache's rows: only its counters and meta.
 */
import { readdirSync, statSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { join } from 'node:path';
import type { DiagnosticFile } from '../common/app/api';
import { fr } from '../common/i18n/fr';
import { scrubText } from '../common/log';
import type { ServiceContext } from './context';
import type { HandlerTable } from './handlers';
import type { MainLog } from './log';

/** How many log lines the file carries, and how many of the warnings and errors among them. */
export const DIAGNOSTIC_LOG_LINES = 200;
export const DIAGNOSTIC_LAST_ERRORS = 20;
const MAX_LINE_CHARS = 4_000;

export interface DiagnosticDeps {
  dataDir: string;
  appVersion: string;
  log: MainLog;
  now?: () => Date;
  /** The policy in force as the diagnostic shows it (`WorkstationPolicy.summary`); default: none. */
  policy?: () => unknown;
}

/** Bytes and files under `dir` (the data dir: caches, session file, logs). */
function folderSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (d: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory() && depth < 4) walk(p, depth + 1);
      else if (e.isFile()) {
        try {
          bytes += statSync(p).size;
          files += 1;
        } catch {
          // vanished meanwhile
        }
      }
    }
  };
  walk(dir, 0);
  return { bytes, files };
}

function levelOf(line: string): string | null {
  try {
    const level = (JSON.parse(line) as { level?: unknown }).level;
    return typeof level === 'string' ? level : null;
  } catch {
    return null;
  }
}

/** The diagnostic as an object (tests read it; the file is its JSON). */
export async function buildDiagnostic(ctx: ServiceContext, deps: DiagnosticDeps): Promise<Record<string, unknown>> {
  const at = (deps.now ?? (() => new Date()))();
  const status = ctx.session.syncStatus();
  const current = ctx.session.current();
  let session: Record<string, unknown> | null = null;
  let cache: Record<string, unknown> | null = null;
  if (current) {
    const active = ctx.session.requireActive();
    session = {
      userId: current.user.id,
      username: current.user.username,
      role: current.user.role,
      territory: current.user.territory,
      clientId: active.store.clientId(),
      expiresAt: active.expiresAt,
    };
    cache = {
      cursor: active.store.cursor(),
      // The server epoch the cache's rows come from (null before the first hello).
      epoch: active.store.serverEpoch(),
      lastSyncAt: active.store.lastSyncAt(),
      ...active.store.counts(),
    };
  }
  const lines = (await deps.log.tail(DIAGNOSTIC_LOG_LINES)).map((l) => scrubText(l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}…` : l));
  const lastErrors = lines.filter((l) => ['warn', 'error', 'fatal'].includes(levelOf(l) ?? '')).slice(-DIAGNOSTIC_LAST_ERRORS);
  return {
    format: 'vigie-diagnostic/1',
    title: fr.diagnostic.title,
    generatedAt: at.toISOString(),
    versions: {
      vigie: deps.appVersion,
      electron: process.versions.electron ?? null,
      chrome: process.versions.chrome ?? null,
      node: process.versions.node,
    },
    system: { platform: platform(), release: release(), arch: arch() },
    dataDir: { path: deps.dataDir, ...folderSize(deps.dataDir) },
    policy: deps.policy ? deps.policy() : fr.diagnostic.noPolicy,
    session,
    sync: {
      serverUrl: status.serverUrl,
      state: status.state,
      pending: status.pending,
      rejected: status.rejected,
      lastSyncAt: status.lastSyncAt,
      detail: status.detail,
      ...(cache ? { cursor: cache.cursor, epoch: cache.epoch } : { cursor: null, epoch: null }),
    },
    lastErrors,
    log: { file: deps.log.file, lines },
  };
}

export function diagnosticFileName(at: Date): string {
  return `vigie-diagnostic-${at.toISOString().slice(0, 19).replace(/:/g, '-')}Z.json`;
}

export function registerDiagnosticHandlers(table: HandlerTable, ctx: ServiceContext, deps: DiagnosticDeps): void {
  table.register('app.diagnostic', async (): Promise<DiagnosticFile> => {
    const at = (deps.now ?? (() => new Date()))();
    const diagnostic = await buildDiagnostic(ctx, { ...deps, now: () => at });
    deps.log.logger.info(fr.diagnostic.exported);
    return { fileName: diagnosticFileName(at), content: `${JSON.stringify(diagnostic, null, 2)}\n` };
  });
}
