/**
 * The sync server's logger: pino, JSON lines, every line with `service` and `version`, lines
 * about a socket with its `userId` and `clientId`. On stderr by default (stdout is kept for the
 * one `VIGIE_SYNC_SERVER_READY` line), or in a rotated file (`--log-file`). What may be logged:
 * `common/log.ts` and docs/security.md (« Journaux »); where logs go: docs/operations.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type DestinationStream, type Logger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { scrubText, vigieLogOptions } from '../../common/log';

export type ServerLogger = Logger;

/** Who a line is about, when known (a socket's user and workstation). */
export interface LogContext {
  userId?: string;
  clientId?: string;
  /** Default `error`: most lines the server writes are failures. */
  level?: 'info' | 'warn' | 'error';
}

/**
 * The one-line logging function the server's parts receive (`log(line)`); a line about a
 * socket passes its context. A plain `(line) => void` (tests) is one as well.
 */
export type LogFn = (line: string, context?: LogContext) => void;

/** Rotation of `--log-file`: a new file each day or past 10 MB, 7 old files kept. */
export interface RotationOptions {
  size?: `${number}${'B' | 'K' | 'M' | 'G'}`;
  interval?: '1d' | '12h' | '1h';
  keep?: number;
}
export const DEFAULT_ROTATION = { size: '10M', interval: '1d', keep: 7 } as const satisfies RotationOptions;

export interface ServerLoggerOptions {
  /** `json` (default): JSON lines; `pretty`: one readable line per entry, for a developer's terminal. */
  format?: 'json' | 'pretty';
  /** A file to write to (rotated), instead of stderr. */
  file?: string;
  rotation?: RotationOptions;
  level?: 'debug' | 'info' | 'warn' | 'error';
  /** Tests: where lines go instead of stderr. */
  destination?: DestinationStream;
}

export interface ServerLog {
  logger: ServerLogger;
  /** Writes what is buffered (the file stream writes asynchronously). */
  flush(): Promise<void>;
  /** Flushes and closes the file, if any. */
  close(): Promise<void>;
}

/** The version in the repository's package.json (the server runs from sources), or `inconnue`. */
export function serverVersion(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '..', '..', 'package.json'), resolve(process.cwd(), 'package.json')]) {
    if (!existsSync(candidate)) continue;
    try {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === 'vigie' && typeof parsed.version === 'string') return parsed.version;
    } catch {
      // unreadable: try the next one
    }
  }
  return 'inconnue';
}

/** A rotated log file: `name.log` now, `name.1.log` … `name.<keep>.log` before. */
export function rotatingFile(file: string, rotation: RotationOptions = {}): RotatingFileStream {
  const name = basename(file).replace(/\.log$/, '');
  // Classical (logrotate) mode: the generator gets the rotation index (null: the current file).
  return createStream((index) => (typeof index === 'number' && index > 0 ? `${name}.${index}.log` : `${name}.log`), {
    path: dirname(resolve(file)),
    size: rotation.size ?? DEFAULT_ROTATION.size,
    interval: rotation.interval ?? DEFAULT_ROTATION.interval,
    rotate: rotation.keep ?? DEFAULT_ROTATION.keep,
  });
}

/** One readable line per JSON entry: `HH:MM:SS niveau message (userId clientId)`, for `--log-format pretty`. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const who = [entry.userId, entry.clientId].filter((v): v is string => typeof v === 'string');
  const err = entry.err as { message?: unknown } | undefined;
  const detail = err && typeof err.message === 'string' ? ` — ${err.message}` : '';
  return `${time} ${String(entry.level ?? '')} ${String(entry.msg ?? '')}${detail}${who.length ? ` (${who.join(' ')})` : ''}\n`;
}

function prettyStderr(): DestinationStream {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line) process.stderr.write(prettyLine(line));
    },
  };
}

export function createServerLog(opts: ServerLoggerOptions = {}): ServerLog {
  const file = opts.file ? rotatingFile(opts.file, opts.rotation) : null;
  const destination: DestinationStream = opts.destination ?? file ?? (opts.format === 'pretty' ? prettyStderr() : process.stderr);
  const logger = pino(vigieLogOptions({ service: 'vigie-sync', version: serverVersion() }, opts.level ?? 'info'), destination);
  const flush = () =>
    new Promise<void>((done) => {
      if (!file) return done();
      file.write('', () => done());
    });
  return {
    logger,
    flush,
    async close() {
      if (!file) return;
      await flush();
      await new Promise<void>((done) => {
        file.end(() => done());
      });
    },
  };
}

/** The `log(line, context)` the server's parts use, on a pino logger. */
export function lineLogger(logger: ServerLogger): LogFn {
  return (line, context) => {
    const { level = 'error', userId, clientId } = context ?? {};
    const bindings: Record<string, string> = {};
    if (userId) bindings.userId = userId;
    if (clientId) bindings.clientId = clientId;
    logger[level](bindings, scrubText(line));
  };
}
