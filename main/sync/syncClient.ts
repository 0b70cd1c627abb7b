/**
 * The sync client: one Socket.IO connection to the sync server for one user's cache.
 * Runs in Node and Electron's main process (no `electron` import).
 *
 * On every (re)connection it pushes the outbox in order, then pulls until the server has
 * nothing more. Pokes are applied at once (rows carry their version, so that is always
 * safe) and followed by a debounced pull that moves the cursor. Any failure (timeout, gap,
 * server error, lost connection) leaves the outbox as it is and retries later: the outbox
 * only shrinks on a server answer.
 */
import { io, type Socket } from 'socket.io-client';
import type { SyncState, SyncStatus } from '../../common/app/api';
import { ENTITY_NAMES } from '../../common/boards';
import { fr } from '../../common/i18n/fr';
import type { LocalStore } from '../store/localStore';
import type { ChangedData, ConsoleEvents, EventName } from '../../common/api';
import { MAX_PULL_LIMIT, MAX_PUSH_BYTES, syncWire as wire, type Change, type ClientToServerEvents, type ErrorCode, type MutationResult, type Poke, type PullResult, type PushResult, type Reply, type ServerToClientEvents } from '../../common/protocol';

export type Emit = <E extends EventName>(event: E, payload: ConsoleEvents[E]) => void;

export interface SyncClientOptions {
  serverUrl: string;
  token: string;
  store: LocalStore;
  /** Rows a poke brought that were not in the cache before: the boards announce them. */
  announce(fresh: readonly Change[]): void;
  emit: Emit;
  /** The server refused the session (expired or logged out elsewhere). */
  onSessionExpired(): void;
  pushBatchSize?: number;
  pullLimit?: number;
  ackTimeoutMs?: number;
  pokePullDelayMs?: number;
  /** Longest wait between reconnection attempts (Socket.IO's own backoff, randomised). */
  reconnectDelayMaxMs?: number;
  log?: (line: string) => void;
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A failure the loop retries later; `code` comes from the server when it answered. */
class SyncFailure extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode | 'timeout' | 'protocol',
  ) {
    super(message);
  }
}

/** The server refused a board's request (out of scope, bad request): not a network failure. */
export class AskRefused extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
    this.name = 'AskRefused';
  }
}

/** A socket event a board adds (not the engine's push and pull). */
type BoardEvent = Exclude<keyof ClientToServerEvents, (typeof wire)['push'] | (typeof wire)['pull']>;
type AskRequest<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];

const CHANGE_ENTITIES: ReadonlySet<string> = new Set(ENTITY_NAMES);

/**
 * A cheap structural check of changes from the server (a full schema parse of 100,000 rows
 * would cost seconds on a bootstrap): anything else is refused as a protocol error.
 */
function isChangeList(x: unknown): x is Change[] {
  if (!Array.isArray(x)) return false;
  for (const c of x as unknown[]) {
    if (typeof c !== 'object' || c === null) return false;
    const r = c as { version?: unknown; entity?: unknown; data?: unknown };
    if (typeof r.version !== 'number' || typeof r.entity !== 'string' || !CHANGE_ENTITIES.has(r.entity)) return false;
    if (typeof r.data !== 'object' || r.data === null || typeof (r.data as { version?: unknown }).version !== 'number') return false;
  }
  return true;
}

export class SyncClient {
  private socket: ClientSocket | null = null;
  private state: SyncState = 'offline';
  private detail: string | null = fr.sync.connecting;
  private wantPush = false;
  private wantPull = false;
  private running = false;
  private stopped = false;
  private pullTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelayMs = 1_000;
  private readonly pushBatchSize: number;
  private readonly pullLimit: number;
  private readonly ackTimeoutMs: number;
  private readonly pokePullDelayMs: number;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: SyncClientOptions) {
    this.pushBatchSize = opts.pushBatchSize ?? 200;
    this.pullLimit = opts.pullLimit ?? MAX_PULL_LIMIT;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 30_000;
    this.pokePullDelayMs = opts.pokePullDelayMs ?? 200;
    this.log = opts.log ?? (() => undefined);
  }

  start(): void {
    if (this.socket || this.stopped) return;
    const socket: ClientSocket = io(this.opts.serverUrl, {
      auth: { token: this.opts.token, clientId: this.opts.store.clientId() },
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: this.opts.reconnectDelayMaxMs ?? 10_000,
      randomizationFactor: 0.5,
      timeout: 10_000,
      autoConnect: false,
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.retryDelayMs = 1_000;
      // A retry scheduled while offline would only delay the catch-up: start it now.
      if (this.retryTimer) {
        clearTimeout(this.retryTimer);
        this.retryTimer = null;
      }
      this.setState('syncing', null);
      this.wantPush = true;
      this.wantPull = true;
      this.kick();
    });
    socket.on('disconnect', (reason) => {
      if (this.stopped) return;
      this.setState('offline', fr.auth.serverUnreachable(this.opts.serverUrl));
      // The server hung up on purpose (session revoked, restart): Socket.IO does not retry
      // that by itself, so reconnect; the handshake tells whether the session still holds.
      if (reason === 'io server disconnect') this.reconnectLater();
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (this.stopped) return;
      const code = err.data?.code;
      if (code === 'unauthenticated') {
        this.expire();
        return;
      }
      // A refusal from the server carries a French message; a transport error does not.
      this.setState('offline', code ? fr.sync.retry(err.message) : fr.auth.serverUnreachable(this.opts.serverUrl));
      if (!socket.active) this.reconnectLater();
    });
    socket.on(wire.poke, (poke: Poke) => this.onPoke(poke));
    socket.connect();
  }

  /** Stops syncing; the store stays open (the caller owns it). Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.pullTimer) clearTimeout(this.pullTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.state = 'offline';
  }

  /** A local write was queued: push it as soon as connected. */
  requestPush(): void {
    this.wantPush = true;
    this.kick();
  }

  /**
   * Sends one of the boards' own requests (`beds:history`…) and returns its answer, unchecked
   * (the board checks its shape). Null when the server cannot be asked now (offline, no
   * answer in time): the caller falls back to its cache. A refusal from the server is thrown
   * as `AskRefused` with its French message.
   */
  async ask<E extends BoardEvent>(event: E, req: AskRequest<E>, timeoutMs = Math.min(this.ackTimeoutMs, 10_000)): Promise<unknown> {
    const socket = this.socket;
    if (this.stopped || !socket?.connected) return null;
    let reply: unknown;
    try {
      // The event is a board's, known here by name only: its typed signature is the board's.
      const timed = socket.timeout(timeoutMs) as unknown as { emitWithAck(event: string, req: unknown): Promise<unknown> };
      reply = await timed.emitWithAck(event, req);
    } catch {
      return null;
    }
    if (!reply || typeof reply !== 'object') return null;
    const r = reply as { data?: unknown; error?: { code?: unknown; message?: unknown } };
    if (r.error) throw new AskRefused(typeof r.error.message === 'string' ? r.error.message : fr.protocol.internal, (r.error.code as ErrorCode) ?? 'internal');
    return r.data ?? null;
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  status(): SyncStatus {
    const counts = this.opts.store.counts();
    return {
      state: this.state,
      pending: counts.pending,
      rejected: counts.rejected,
      lastSyncAt: this.opts.store.lastSyncAt(),
      serverUrl: this.opts.serverUrl,
      detail: this.detail,
    };
  }

  private setState(state: SyncState, detail: string | null): void {
    const changed = state !== this.state || detail !== this.detail;
    this.state = state;
    this.detail = detail;
    if (changed) this.emitStatus();
  }

  private emitStatus(): void {
    if (this.stopped || !this.opts.store.isOpen) return;
    this.opts.emit('sync.status', this.status());
  }

  private expire(): void {
    this.stop();
    this.detail = fr.protocol.unauthenticated;
    this.opts.onSessionExpired();
  }

  private reconnectLater(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped && this.socket && !this.socket.connected && !this.socket.active) this.socket.connect();
    }, this.nextRetryDelay());
  }

  private nextRetryDelay(): number {
    const d = this.retryDelayMs * (0.5 + Math.random());
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.opts.reconnectDelayMaxMs ?? 10_000);
    return d;
  }

  private onPoke(poke: Poke): void {
    if (this.stopped || !poke || !isChangeList(poke.changes)) return;
    try {
      const result = this.opts.store.applyChanges(poke.changes);
      if (result.entities.length > 0) this.opts.emit('data.changed', { entities: result.entities as ChangedData[] });
      this.opts.announce(result.fresh);
    } catch (err) {
      this.log(`poke not applied (a pull will bring it): ${String(err)}`);
    }
    if (this.pullTimer) clearTimeout(this.pullTimer);
    this.pullTimer = setTimeout(() => {
      this.pullTimer = null;
      this.wantPull = true;
      this.kick();
    }, this.pokePullDelayMs);
  }

  /** Runs the push/pull loop unless it is already running or we are offline. */
  private kick(): void {
    if (this.running || this.stopped || !this.socket?.connected) return;
    if (!this.wantPush && !this.wantPull) return;
    this.running = true;
    void this.loop().finally(() => {
      this.running = false;
      if (!this.stopped && this.socket?.connected && (this.wantPush || this.wantPull) && !this.retryTimer) this.kick();
    });
  }

  private async loop(): Promise<void> {
    this.setState('syncing', null);
    try {
      while (!this.stopped && this.socket?.connected && (this.wantPush || this.wantPull)) {
        if (this.wantPush) {
          this.wantPush = false;
          await this.pushAll();
        }
        if (this.wantPull && !this.stopped) {
          this.wantPull = false;
          await this.pullAll();
        }
      }
      if (this.stopped) return;
      if (this.socket?.connected) {
        this.opts.store.markSynced(new Date().toISOString());
        this.retryDelayMs = 1_000;
        this.setState('online', null);
        this.emitStatus();
      }
    } catch (err) {
      if (this.stopped) return;
      // Nothing is lost: the outbox rows stay pending and the cursor did not move past
      // anything unapplied. Try both again later.
      this.wantPush = true;
      this.wantPull = true;
      if (err instanceof SyncFailure && err.code === 'unauthenticated') {
        this.expire();
        return;
      }
      const message = err instanceof SyncFailure ? err.message : fr.sync.timeout;
      this.log(`sync failed, retrying: ${String(err)}`);
      this.setState(this.socket?.connected ? 'syncing' : 'offline', fr.sync.retry(message));
      if (this.retryTimer) return;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.kick();
      }, this.nextRetryDelay());
    }
  }

  /** Sends one request and waits for its answer; a lost connection or no answer in time is a failure to retry. */
  private async request<T>(send: (socket: ClientSocket) => Promise<Reply<T>>): Promise<Reply<T>> {
    const socket = this.socket;
    if (!socket?.connected) throw new SyncFailure(fr.auth.serverUnreachable(this.opts.serverUrl), 'timeout');
    try {
      return await send(socket);
    } catch {
      throw new SyncFailure(fr.sync.timeout, 'timeout');
    }
  }

  private unwrap<T>(reply: Reply<T> | undefined): T {
    if (!reply || typeof reply !== 'object') throw new SyncFailure(fr.protocol.internal, 'protocol');
    if ('error' in reply) throw new SyncFailure(reply.error.message, reply.error.code);
    return reply.data;
  }

  private async pushAll(): Promise<void> {
    const store = this.opts.store;
    for (;;) {
      if (this.stopped) return;
      // Stay well under the server's byte limit: the estimate counts 3 bytes per character.
      const batch = store.pendingBatch(this.pushBatchSize, Math.floor(MAX_PUSH_BYTES * 0.9));
      if (batch.length === 0) return;
      const data = this.unwrap(
        await this.request<PushResult>((s) => s.timeout(this.ackTimeoutMs).emitWithAck(wire.push, { clientId: store.clientId(), mutations: batch })),
      );
      if (this.stopped) return;
      if (!data || !Array.isArray(data.results)) throw new SyncFailure(fr.protocol.internal, 'protocol');
      const sent = new Set(batch.map((m) => m.mutationId));
      const results = (data.results as MutationResult[]).filter((r) => sent.has(r.mutationId));
      if (!results.some((r) => r.mutationId === batch[0].mutationId)) {
        // The oldest mutation got no answer: pushing again now would loop. Retry later.
        throw new SyncFailure(fr.protocol.internal, 'protocol');
      }
      const rejected = store.recordResults(results);
      for (const r of rejected) this.opts.emit('mutation.rejected', r);
      if (rejected.length > 0) this.opts.emit('data.changed', { entities: ['rejected', ...ENTITY_NAMES] });
      this.emitStatus();
    }
  }

  /**
   * Pulls until the server has nothing more. The next page is requested before the current
   * one is written, so the server reads page n+1 while this process writes page n.
   */
  private async pullAll(): Promise<void> {
    const store = this.opts.store;
    const ask = (cursor: number): Promise<PullResult> =>
      this.request<PullResult>((s) => s.timeout(this.ackTimeoutMs).emitWithAck(wire.pull, { cursor, limit: this.pullLimit })).then((r) =>
        this.unwrap(r),
      );
    let next: Promise<PullResult> | null = ask(store.cursor());
    while (next) {
      const data = await next;
      next = null;
      if (this.stopped) return;
      if (!data || !isChangeList(data.changes) || typeof data.cursor !== 'number' || typeof data.more !== 'boolean') {
        throw new SyncFailure(fr.protocol.internal, 'protocol');
      }
      if (data.more) {
        next = ask(data.cursor);
        // If writing this page fails, the prefetched answer is simply dropped.
        next.catch(() => undefined);
      }
      const result = store.applyPull(data.changes, data.cursor);
      if (result.entities.length > 0) this.opts.emit('data.changed', { entities: result.entities as ChangedData[] });
    }
  }
}
