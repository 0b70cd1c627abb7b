/**
 * Prometheus metrics of one sync node (prom-client), served on `GET /metrics` (`ops/http.ts`).
 * Each app has its own registry (tests run several apps in one process). Labels are bounded:
 * role kinds, event names registered at start-up, error codes, store method names — never a
 * user, a client id or a territory.
 *
 * What is measured, and where (one place each):
 * - sockets per role kind: counted from Socket.IO's socket list at scrape time;
 * - socket requests (push, pull, board events): from the packet's arrival to its
 *   acknowledgement, and refusals by error code (what a workstation's outbox shows), by a
 *   per-socket middleware (`instrumentSocket`), which also tells the drain what is under way;
 * - mutations by outcome (applied, rejected, duplicate) and change-log rows written, from
 *   the store's `applyMutations` answer;
 * - store latency: every call of the engine's store interface (`instrumentStore`), the one
 *   object both stores (SQLite, PostgreSQL) are reached through (the boards' own store parts,
 *   `store.boards.*`, are plain objects behind it and are not timed);
 * - pokes: each emit of the fan-out (`app.ts`);
 * - logins by step and outcome (`http/routes.ts`).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ApplyOutcome } from '../store/types';
import type { Drain } from './drain';

/** Seconds: from a millisecond to ten seconds, for socket requests and store calls. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface MetricsOptions {
  /** `vigie_build_info{version}`. */
  version: string;
  /** Node's process metrics (CPU, memory, event loop, GC): the CLI's server, not tests' apps. */
  processMetrics?: boolean;
}

export type LoginStep = 'password' | 'totp' | 'enrol';
export type LoginOutcome = 'success' | 'second_factor' | 'refused' | 'throttled';

export class SyncMetrics {
  readonly registry = new Registry();
  private socketRoles: () => Iterable<string> = () => [];

  readonly requestSeconds = new Histogram({
    name: 'vigie_socket_request_duration_seconds',
    help: 'Socket requests, from arrival to acknowledgement (event: sync:push, sync:pull, board events)',
    labelNames: ['event'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly refusals = new Counter({
    name: 'vigie_socket_refusals_total',
    help: 'Socket requests answered with an error, by event and code (a refused push is what a workstation shows in its outbox)',
    labelNames: ['event', 'code'] as const,
    registers: [this.registry],
  });
  readonly pushes = new Counter({
    name: 'vigie_pushes_total',
    help: 'Pushes answered, by result: ok or the error code',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly mutations = new Counter({
    name: 'vigie_mutations_total',
    help: 'Pushed mutations by outcome: applied, rejected (by a rule), duplicate (already applied, answered from the ledger)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly changes = new Counter({
    name: 'vigie_changes_written_total',
    help: 'Change-log rows written by pushes',
    registers: [this.registry],
  });
  readonly pokes = new Counter({
    name: 'vigie_pokes_total',
    help: 'Pokes emitted (one emit to the rooms of a set of changes)',
    registers: [this.registry],
  });
  readonly storeSeconds = new Histogram({
    name: 'vigie_store_duration_seconds',
    help: 'Calls of the server store (each a transaction or a query), by operation',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly logins = new Counter({
    name: 'vigie_logins_total',
    help: 'Login steps by outcome (password, totp, enrol; success, second_factor, refused, throttled)',
    labelNames: ['step', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(opts: MetricsOptions) {
    const roles = (): Iterable<string> => this.socketRoles();
    new Gauge({
      name: 'vigie_connected_sockets',
      help: 'Connected sockets by role kind',
      labelNames: ['role'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const counts = new Map<string, number>();
        for (const role of roles()) counts.set(role, (counts.get(role) ?? 0) + 1);
        for (const [role, n] of counts) this.set({ role }, n);
      },
    });
    const info = new Gauge({ name: 'vigie_build_info', help: 'The running version (value 1)', labelNames: ['version'] as const, registers: [this.registry] });
    info.set({ version: opts.version }, 1);
    const draining = new Gauge({ name: 'vigie_draining', help: '1 while the node drains (SIGTERM), 0 otherwise', registers: [this.registry] });
    draining.set(0);
    this.draining = draining;
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  readonly draining: Gauge;

  /** Where the socket gauge reads the role kinds of the connected sockets (at scrape time). */
  countSocketsBy(roles: () => Iterable<string>): void {
    this.socketRoles = roles;
  }

  login(step: LoginStep, outcome: LoginOutcome): void {
    this.logins.inc({ step, outcome });
  }

  /** A push's mutations by outcome; a replay is an applied result older than this push's first change. */
  countApplied(outcome: ApplyOutcome): void {
    const firstVersion = outcome.changes.length > 0 ? outcome.changes[0].change.version : Number.POSITIVE_INFINITY;
    let applied = 0;
    let rejected = 0;
    let duplicate = 0;
    for (const r of outcome.results) {
      if (r.status === 'rejected') rejected++;
      else if (r.version >= firstVersion) applied++;
      else duplicate++;
    }
    if (applied) this.mutations.inc({ outcome: 'applied' }, applied);
    if (rejected) this.mutations.inc({ outcome: 'rejected' }, rejected);
    if (duplicate) this.mutations.inc({ outcome: 'duplicate' }, duplicate);
    if (outcome.changes.length) this.changes.inc(outcome.changes.length);
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

type AnyFn = (...args: unknown[]) => unknown;

/**
 * The store, every method call timed (`vigie_store_duration_seconds{operation}`) and
 * `applyMutations`' outcomes counted. A Proxy, so both stores and every caller (engine,
 * boards, authentication) are measured through the one object they share; properties that
 * are not functions (`boards`, `ready`) pass through untouched, and `instanceof` still holds.
 */
export function instrumentStore<S extends object>(store: S, metrics: SyncMetrics): S {
  const wrappers = new WeakMap<AnyFn, AnyFn>();
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'constructor') return value;
      const fn = value as AnyFn;
      let wrapped = wrappers.get(fn);
      if (!wrapped) {
        const operation = prop;
        wrapped = (...args: unknown[]): unknown => {
          const end = metrics.storeSeconds.startTimer({ operation });
          let out: unknown;
          try {
            out = fn.apply(target, args);
          } catch (err) {
            end();
            throw err;
          }
          if (!(out instanceof Promise)) {
            end();
            return out;
          }
          return out.then(
            (v: unknown) => {
              end();
              if (operation === 'applyMutations') metrics.countApplied(v as ApplyOutcome);
              return v;
            },
            (err: unknown) => {
              end();
              throw err;
            },
          );
        };
        wrappers.set(fn, wrapped);
      }
      return wrapped;
    },
  });
}

/** What `instrumentSocket` needs of a Socket.IO server socket. */
export interface UsableSocket {
  use(fn: (event: [string, ...unknown[]], next: (err?: Error) => void) => void): unknown;
}

/** An error reply (`{error: {code}}`)'s code, or null for data. */
function errorCode(reply: unknown): string | null {
  if (typeof reply !== 'object' || reply === null || !('error' in reply)) return null;
  const error = (reply as { error: unknown }).error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : null;
  return typeof code === 'string' ? code : 'internal';
}

/**
 * Wraps the acknowledgement of every request of `events` arriving on `socket`: the drain
 * counts it under way until it is acknowledged, the histogram times it, and the reply's
 * error code (if any) is counted. Events outside `events` (a client may send any name) are
 * left alone, so labels stay bounded. `pushEvent`'s replies also feed `vigie_pushes_total`.
 */
export function instrumentSocket(socket: UsableSocket, metrics: SyncMetrics, drain: Drain, events: ReadonlySet<string>, pushEvent: string): void {
  socket.use((packet, next) => {
    const event = packet[0];
    const ackAt = packet.length - 1;
    const ack = packet[ackAt];
    if (ackAt >= 1 && typeof ack === 'function' && events.has(event)) {
      const done = drain.track();
      const end = metrics.requestSeconds.startTimer({ event });
      packet[ackAt] = (reply: unknown): unknown => {
        end();
        const code = errorCode(reply);
        if (code !== null) metrics.refusals.inc({ event, code });
        if (event === pushEvent) metrics.pushes.inc({ result: code ?? 'ok' });
        try {
          return (ack as AnyFn)(reply);
        } finally {
          done();
        }
      };
    }
    next();
  });
}
