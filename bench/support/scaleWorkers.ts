/**
 * The scale bench's worker processes, seen from the parent: fork them (tsx, one per ~2,500
 * workstations), hand each its share of the workstations, start and stop the recording,
 * gather what they measured. See `scaleWorker.ts` for the other side.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './processes';

/** One workstation as a worker connects it: Vigie's handshake, or the raw baseline's rooms. */
export interface WorkerClient {
  index: number;
  token: string;
  clientId: string;
  /** Raw baseline only: the rooms Vigie's server would join it to. */
  rooms?: string[];
}

export type WorkerCommand =
  | { type: 'connect'; url: string; mode: 'vigie' | 'raw'; clients: WorkerClient[]; concurrency: number; timeoutMs: number }
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'count' }
  | { type: 'verify'; ids: string[] }
  | { type: 'close' };

/** Deliveries as parallel arrays: delivery k is write `ids[write[k]]` reaching socket `socket[k]` at `at[k]` (ms, cross-process clock). */
export interface WorkerDeliveries {
  ids: string[];
  socket: Int32Array;
  write: Int32Array;
  at: Float64Array;
}

export interface WorkerStats {
  /** CPU time over wall time during the recording (1 = one core busy). */
  cpuShare: number;
  rssMaxMiB: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

export type WorkerReply =
  | { type: 'ready' }
  /** `failed`: the global indices of the workstations that could not connect. */
  | { type: 'connected'; connected: number; failed: number[]; firstError: string; ms: number }
  | { type: 'started' }
  | { type: 'count'; deliveries: number }
  | { type: 'results'; deliveries: WorkerDeliveries; disconnects: number; disconnectReason: string; stats: WorkerStats }
  | { type: 'verified'; seen: Array<[number, string[]]> }
  | { type: 'failed'; message: string };

const TSX_LOADER = ['--import', 'tsx', '--max-old-space-size=3072'];

class Worker {
  private readonly waiting = new Map<WorkerReply['type'], (r: WorkerReply) => void>();
  private failure: ((e: Error) => void) | null = null;

  constructor(readonly proc: ChildProcess) {
    proc.on('message', (r: WorkerReply) => {
      if (r.type === 'failed') {
        this.failure?.(new Error(`scale worker: ${r.message}`));
        return;
      }
      const wake = this.waiting.get(r.type);
      this.waiting.delete(r.type);
      wake?.(r);
    });
    proc.on('exit', (code, signal) => {
      if (this.waiting.size) this.failure?.(new Error(`scale worker ${proc.pid} exited (${code ?? signal}) while the bench waited for it`));
    });
  }

  /** Sends `cmd` (if any) and waits for the reply of type `type`. */
  ask<T extends WorkerReply['type']>(type: T, cmd: WorkerCommand | null, timeoutMs: number): Promise<Extract<WorkerReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(type);
        reject(new Error(`scale worker ${this.proc.pid}: no '${type}' after ${timeoutMs} ms`));
      }, timeoutMs);
      this.failure = (e) => {
        clearTimeout(timer);
        this.waiting.delete(type);
        reject(e);
      };
      this.waiting.set(type, (r) => {
        clearTimeout(timer);
        resolve(r as Extract<WorkerReply, { type: T }>);
      });
      if (cmd) this.proc.send(cmd);
    });
  }
}

export interface WorkerPool {
  pids: number[];
  /** Connects every client (split evenly); resolves the totals and the slowest worker's time. */
  connect(url: string, mode: 'vigie' | 'raw', clients: WorkerClient[]): Promise<{ connected: number; failed: number[]; firstError: string; ms: number }>;
  start(): Promise<void>;
  /** Bench rows received so far, over every worker (duplicates included). */
  count(): Promise<number>;
  stop(): Promise<Array<Extract<WorkerReply, { type: 'results' }>>>;
  /** Vigie only: every socket pulls from its hello's head; the bench row ids each one was given. */
  verify(ids: string[]): Promise<Map<number, string[]>>;
  close(): Promise<void>;
}

/**
 * Forks `count` workers. `perWorkerTimeoutMs` bounds each step (connecting thousands of
 * sockets on a loaded machine takes minutes: generous).
 */
export async function startWorkers(count: number, perWorkerTimeoutMs = 600_000): Promise<WorkerPool> {
  const entry = join(REPO_ROOT, 'bench', 'support', 'scaleWorker.ts');
  const workers: Worker[] = [];
  const closeAll = async () => {
    await Promise.all(
      workers.map(async (w) => {
        if (w.proc.exitCode !== null || w.proc.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => w.proc.once('exit', () => resolve()));
        if (w.proc.connected) w.proc.send({ type: 'close' } satisfies WorkerCommand);
        const killer = setTimeout(() => w.proc.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }),
    );
  };
  try {
    for (let i = 0; i < count; i++) {
      const proc = fork(entry, [], { cwd: REPO_ROOT, execArgv: TSX_LOADER, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const w = new Worker(proc);
      workers.push(w);
    }
    await Promise.all(workers.map((w) => w.ask('ready', null, 120_000)));
  } catch (err) {
    await closeAll();
    throw err;
  }
  return {
    pids: workers.map((w) => w.proc.pid ?? 0),
    async connect(url, mode, clients) {
      const shares = workers.map((_, i) => clients.filter((_, k) => k % workers.length === i));
      const replies = await Promise.all(
        workers.map((w, i) => w.ask('connected', { type: 'connect', url, mode, clients: shares[i], concurrency: 50, timeoutMs: 120_000 }, perWorkerTimeoutMs)),
      );
      return {
        connected: replies.reduce((n, r) => n + r.connected, 0),
        failed: replies.flatMap((r) => r.failed),
        firstError: replies.find((r) => r.firstError)?.firstError ?? '',
        ms: Math.max(...replies.map((r) => r.ms)),
      };
    },
    async start() {
      await Promise.all(workers.map((w) => w.ask('started', { type: 'start' }, perWorkerTimeoutMs)));
    },
    async count() {
      const replies = await Promise.all(workers.map((w) => w.ask('count', { type: 'count' }, perWorkerTimeoutMs)));
      return replies.reduce((n, r) => n + r.deliveries, 0);
    },
    stop: () => Promise.all(workers.map((w) => w.ask('results', { type: 'stop' }, perWorkerTimeoutMs))),
    async verify(ids) {
      const replies = await Promise.all(workers.map((w) => w.ask('verified', { type: 'verify', ids }, perWorkerTimeoutMs)));
      return new Map(replies.flatMap((r) => r.seen));
    },
    close: closeAll,
  };
}

/** How many workers for `clients` workstations (~2,500 each, at least one). */
export function workerCountFor(clients: number, perWorker = 2500): number {
  return Math.max(1, Math.ceil(clients / perWorker));
}
