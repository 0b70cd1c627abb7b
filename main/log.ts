/**
 * The workstation's log: pino, JSON lines in `<data dir>/logs/vigie.log`, rotated each day or
 * past 10 MB, 7 old files kept (`vigie.1.log` is the newest of them). Every line carries the
 * app version and, while someone is signed in, their user id, username and this cache's
 * client id — never a display name, a token or what people wrote (`common/log.ts`,
 * docs/security.md « Journaux »). The diagnostic export reads its last lines back.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { vigieLogOptions } from '../common/log';

export type MainLogger = Logger;

/** Who the workstation is working for, added to every line while a session is open. */
export interface MainLogContext {
  userId: string;
  username: string;
  clientId: string;
}

export interface MainLogOptions {
  /** The workstation's data dir; the log goes to its `logs/` folder. */
  dataDir: string;
  version: string;
  /** Read at each line: the signed-in user and client id, or null. */
  context(): MainLogContext | null;
  /** Tests: a small size rotates at once. */
  rotation?: { size?: `${number}${'B' | 'K' | 'M' | 'G'}`; keep?: number };
  level?: 'debug' | 'info' | 'warn' | 'error';
}

export interface MainLog {
  logger: MainLogger;
  /** The current log file. */
  file: string;
  /** Writes what is buffered (the rotating stream writes asynchronously). */
  flush(): Promise<void>;
  /** The last `n` lines (the current file, then the rotated ones, newest first), oldest first. */
  tail(n: number): Promise<string[]>;
  close(): Promise<void>;
}

export const LOG_FILE_NAME = 'vigie.log';
/** How much of each file `tail` reads back: plenty for a few hundred lines. */
const TAIL_BYTES = 512 * 1024;

/** The version in the repository's package.json (web host, tests); Electron passes `app.getVersion()`. */
export function packageVersion(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '..', 'package.json'), resolve(here, '..', '..', 'package.json'), resolve(process.cwd(), 'package.json')]) {
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

function lastLines(file: string): string[] {
  if (!existsSync(file)) return [];
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - TAIL_BYTES);
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    const lines = buf.toString('utf8').split('\n');
    if (start > 0) lines.shift(); // a partial first line
    return lines.filter((l) => l.trim() !== '');
  } finally {
    closeSync(fd);
  }
}

export function createMainLog(opts: MainLogOptions): MainLog {
  const dir = join(opts.dataDir, 'logs');
  const keep = opts.rotation?.keep ?? 7;
  // Classical (logrotate) mode: the generator gets the rotation index (null: the current file).
  const stream: RotatingFileStream = createStream((index) => (typeof index === 'number' && index > 0 ? `vigie.${index}.log` : LOG_FILE_NAME), {
    path: dir,
    size: opts.rotation?.size ?? '10M',
    interval: '1d',
    rotate: keep,
  });
  // A log that cannot be written must not take the workstation down.
  stream.on('error', () => undefined);
  const logger = pino(
    {
      ...vigieLogOptions({ service: 'vigie-poste', version: opts.version }, opts.level ?? 'info'),
      mixin: () => {
        const who = opts.context();
        return who ? { userId: who.userId, username: who.username, clientId: who.clientId } : {};
      },
    },
    stream,
  );
  const flush = () =>
    new Promise<void>((done) => {
      if (stream.writableEnded) return done();
      stream.write('', () => done());
    });
  let closing: Promise<void> | undefined;
  return {
    logger,
    file: join(dir, LOG_FILE_NAME),
    flush,
    async tail(n) {
      await flush();
      let lines: string[] = [];
      for (let index = 0; index <= keep && lines.length < n; index++) {
        lines = [...lastLines(join(dir, index === 0 ? LOG_FILE_NAME : `vigie.${index}.log`)), ...lines];
      }
      return lines.slice(-n);
    },
    close() {
      closing ??= flush().then(
        () =>
          new Promise<void>((done) => {
            stream.end(() => done());
          }),
      );
      return closing;
    },
  };
}
