/**
 * The sync client: one Socket.IO connection to the sync server for one user's cache.
 * Runs in Node and Electron's main process (no `electron` import).
 *
 * On every (re)connection it waits for the server's `sync:hello` and compares it with the
 * cache: a new epoch, a cursor beyond the server's head, or a ledger that forgot mutations
 * the server had answered mean the server was restored from a backup, and the cache is
 * rebuilt (server rows dropped, cursor 0, outbox kept and renumbered after the server's last
 * id; see `LocalStore.rebuild`). Then it pushes the outbox in order, then pulls until the
 * server has nothing more; a pull answered from another epoch, or refused `cursor_ahead`,
 * rebuilds too. Pokes are applied at once (rows carry their version, so that is always
 * safe) and followed by a debounced pull that moves the cursor. Any failure (timeout, gap,
 * server error, lost connection) leaves the outbox as it is and retries later: the outbox
 * only shrinks on a server answer.
 */
import { io, type Socket } from 'socket.io-client';
import type { SyncState, SyncStatus } from '../../common/app/api';
import { ENTITY_NAMES } from '../../common/boards';
import { fr } from '../../common/i18n/fr';
import type { LocalStore } from '../store/localStore';
import { openServerTransport, type ServerTransport } from './transport';
import type { ChangedData, ConsoleEvents, EventName } from '../../common/api';
import { MAX_PULL_LIMIT, MAX_PUSH_BYTES, syncWire as wire, type Change, type ClientToServerEvents, type ErrorCode, type MutationResult, type Poke, type PullResult, type PushResult, type Reply, type ServerToClientEvents, type SyncHello } from '../../common/protocol';

export type Emit = <E extends EventName>(event: E, payload: ConsoleEvents[E]) => void;

export interface SyncClientOptions {
  serverUrl: string;
  /**
   * The connection's transport (pinning, the loopback rule), shared with the session's HTTP
   * requests. Absent: one is opened for `serverUrl` without a pin, and the constructor throws
   * a French `TransportError` for plain HTTP off loopback.
   */
  transport?: ServerTransport;
  token: string;
  store: LocalStore;
  /** Rows a poke brought that were not in the cache before: the boards announce them. */
  announce(fresh: readonly Change[]): void;
  emit: Emit;
  /** The server refused the session (expired or logged out elsewhere) and `refresh` could not renew it. */
  onSessionExpired(): void;
  /**
   * Renews the access token when the server refuses it (`SessionManager.refresh`, which
   * calls `setToken`): `ok` reconnects with the new token, `refused` ends the session,
   * `unreachable` retries later. Without it, a refusal ends the session.
   */
  refresh?(): Promise<'ok' | 'refused' | 'unreachable'>;
  pushBatchSize?: number;
  pullLimit?: number;
  ackTimeoutMs?: number;
  pokePullDelayMs?: number;
  /**
   * A pull this long after the last one while connected and idle (default 60 s; 0: never).
   * Pokes are the fast path; this bounds how stale an idle workstation can be when a poke
   * is lost on the way (several sync nodes while their Redis is down, a node restarting).
   */
  idlePullMs?: number;
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

/** The server's history is not the one the cache follows (restored from a backup): rebuild, then sync again. */
class ServerRestored extends Error {
  constructor(readonly epoch: string | null) {
    super('server restored');
  }
}

function isHello(x: unknown): x is SyncHello {
  if (typeof x !== 'object' || x === null) return false;
  const h = x as Partial<SyncHello>;
  return typeof h.epoch === 'string' && h.epoch.length > 0 && typeof h.head === 'number' && typeof h.lastMutationId === 'number';
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
  private idleTimer: NodeJS.Timeout | null = null;
  /** When the last pull ended (ms since the epoch), for the idle pull. */
  private lastPullAt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelayMs = 1_000;
  /** This connection's hello, until the loop has compared it with the cache. */
  private hello: SyncHello | null = null;
  /** Waiting for this connection's hello before syncing (a server without one: until the timer). */
  private awaitingHello = false;
  private helloTimer: NodeJS.Timeout | null = null;
  /** The server's last mutation id for this client id, as far as this connection knows (hello, then pushes). */
  private serverLast: number | null = null;
  /** Shown while online after a rebuild in this session: the user must know their views were reloaded. */
  private onlineNotice: string | null = null;
  private readonly pushBatchSize: number;
  private readonly pullLimit: number;
  private readonly ackTimeoutMs: number;
  private readonly pokePullDelayMs: number;
  private readonly idlePullMs: number;
  private readonly log: (line: string) => void;
  private readonly transport: ServerTransport;
  /** The access token the next handshake sends (renewed by `setToken`). */
  private token: string;
  private renewing = false;

  constructor(private readonly opts: SyncClientOptions) {
    this.transport = opts.transport ?? openServerTransport({ url: opts.serverUrl });
    this.token = opts.token;
    this.pushBatchSize = opts.pushBatchSize ?? 200;
    this.pullLimit = opts.pullLimit ?? MAX_PULL_LIMIT;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 30_000;
    this.pokePullDelayMs = opts.pokePullDelayMs ?? 200;
    this.idlePullMs = opts.idlePullMs ?? 60_000;
    this.log = opts.log ?? (() => undefined);
  }

  start(): void {
    if (this.socket || this.stopped) return;
    const socket: ClientSocket = io(this.transport.url, {
      // A function: each (re)connection sends the token current then.
      auth: (cb) => cb({ token: this.token, clientId: this.opts.store.clientId() }),
      // engine.io-client types `agent` as `string | boolean` for browser builds; in Node it is
      // handed to `ws` as the https.Agent of the connection (the one that checks the pin).
      ...(this.transport.agent ? { agent: this.transport.agent as unknown as string } : {}),
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
      // Nothing is pushed before the hello says whether the cache still follows this server's history.
      this.hello = null;
      this.serverLast = null;
      this.awaitingHello = true;
      if (this.helloTimer) clearTimeout(this.helloTimer);
      this.helloTimer = setTimeout(() => {
        this.helloTimer = null;
        this.awaitingHello = false;
        this.kick();
      }, Math.min(this.ackTimeoutMs, 5_000));
    });
    socket.on(wire.hello, (hello: unknown) => {
      if (this.stopped || !isHello(hello)) return;
      if (this.helloTimer) clearTimeout(this.helloTimer);
      this.helloTimer = null;
      this.hello = hello;
      this.serverLast = hello.lastMutationId;
      this.awaitingHello = false;
      this.wantPush = true;
      this.wantPull = true;
      this.kick();
    });
    socket.on('disconnect', (reason) => {
      if (this.stopped) return;
      this.onlineNotice = null;
      this.setState('offline', this.unreachable());
      // The server hung up on purpose (session revoked, restart): Socket.IO does not retry
      // that by itself, so reconnect; the handshake tells whether the session still holds.
      if (reason === 'io server disconnect') this.reconnectLater();
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (this.stopped) return;
      const code = err.data?.code;
      if (code === 'unauthenticated') {
        this.unauthenticated();
        return;
      }
      // A refusal from the server carries a French message; a transport error does not.
      this.setState('offline', code ? fr.sync.retry(err.message) : this.unreachable());
      if (!socket.active) this.reconnectLater();
    });
    socket.on(wire.poke, (poke: Poke) => this.onPoke(poke));
    if (this.idlePullMs > 0) {
      // Checked at a quarter of the delay, so a pull comes at most 1.25 × idlePullMs after the last.
      this.idleTimer = setInterval(() => {
        if (this.stopped || !this.socket?.connected || this.running) return;
        if (Date.now() - this.lastPullAt < this.idlePullMs) return;
        this.wantPull = true;
        this.kick();
      }, Math.max(50, this.idlePullMs / 4));
      this.idleTimer.unref();
    }
    socket.connect();
  }

  /** Why the server cannot be reached: a refused certificate says so, anything else is "unreachable". */
  private unreachable(): string {
    return this.transport.lastRefusal() ?? fr.auth.serverUnreachable(this.opts.serverUrl);
  }

  /** Stops syncing; the store stays open (the caller owns it). Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.pullTimer) clearTimeout(this.pullTimer);
    if (this.idleTimer) clearInterval(this.idleTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.helloTimer) clearTimeout(this.helloTimer);
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

  /** A renewed access token: used from the next handshake on (the server cuts the socket when the old one expires). */
  setToken(token: string): void {
    this.token = token;
  }

  /** The server refused the token: renew it and reconnect, or end the session when the renewal is refused. */
  private unauthenticated(): void {
    const refresh = this.opts.refresh;
    if (!refresh) {
      this.expire();
      return;
    }
    if (this.renewing) return;
    this.renewing = true;
    void refresh().then(
      (outcome) => {
        this.renewing = false;
        if (this.stopped) return;
        if (outcome === 'refused') {
          this.expire();
          return;
        }
        if (this.socket && !this.socket.connected) this.reconnectLater();
        else {
          this.wantPush = true;
          this.wantPull = true;
          this.kick();
        }
      },
      () => {
        this.renewing = false;
        if (!this.stopped) this.reconnectLater();
      },
    );
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
    if (this.running || this.stopped || this.awaitingHello || !this.socket?.connected) return;
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
        if (this.hello) {
          const hello = this.hello;
          this.hello = null;
          this.checkHello(hello);
        }
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
        this.setState('online', this.onlineNotice);
        this.emitStatus();
      }
    } catch (err) {
      if (this.stopped) return;
      if (err instanceof ServerRestored) {
        // Not a failure: the cache is rebuilt at once, and the loop runs again from it.
        try {
          this.rebuild(err.epoch);
          return;
        } catch (failed) {
          // Rolled back whole (one transaction): retried like any failure, the cache as it was.
          err = failed;
        }
      }
      // Nothing is lost: the outbox rows stay pending and the cursor did not move past
      // anything unapplied. Try both again later.
      this.wantPush = true;
      this.wantPull = true;
      if (err instanceof SyncFailure && err.code === 'unauthenticated') {
        this.unauthenticated();
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
    if ('error' in reply) {
      // A cursor beyond the server's head: this cache comes from a history the server lost.
      if (reply.error.code === 'cursor_ahead') throw new ServerRestored(null);
      throw new SyncFailure(reply.error.message, reply.error.code);
    }
    return reply.data;
  }

  /**
   * Compares this connection's hello with the cache, before anything is pushed: a cache
   * that never saw an epoch adopts this one, unless it already shows the signs below; a
   * different epoch, a cursor beyond the head, or a ledger below what the server had
   * answered this workstation, means a restore: rebuild.
   */
  private checkHello(hello: SyncHello): void {
    const store = this.opts.store;
    const known = store.serverEpoch();
    const restored = (known !== null && known !== hello.epoch) || store.cursor() > hello.head || store.answeredWireId() > hello.lastMutationId;
    if (restored) this.rebuild(hello.epoch);
    else if (known === null) store.adoptEpoch(hello.epoch);
  }

  /** Rebuilds the cache (see `LocalStore.rebuild`), tells the views and the user, and syncs again from 0. */
  private rebuild(epoch: string | null): void {
    const store = this.opts.store;
    this.log(`server restored (epoch ${epoch ?? 'unknown'}): rebuilding the cache, outbox kept`);
    store.rebuild({ epoch, lastMutationId: this.serverLast });
    this.onlineNotice = fr.sync.rebuilt;
    this.wantPush = true;
    this.wantPull = true;
    this.setState('syncing', fr.sync.rebuilt);
    this.opts.emit('data.changed', { entities: ['rejected', ...ENTITY_NAMES] });
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
      if (this.serverLast !== null) for (const r of results) this.serverLast = Math.max(this.serverLast, r.mutationId);
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
      // Versions mean something inside one epoch only: rows from another go nowhere near the cache.
      if (typeof data.epoch === 'string' && data.epoch !== '') {
        const known = store.serverEpoch();
        if (known === null) store.adoptEpoch(data.epoch);
        else if (known !== data.epoch) throw new ServerRestored(data.epoch);
      }
      if (data.more) {
        next = ask(data.cursor);
        // If writing this page fails, the prefetched answer is simply dropped.
        next.catch(() => undefined);
      }
      const result = store.applyPull(data.changes, data.cursor);
      if (result.entities.length > 0) this.opts.emit('data.changed', { entities: result.entities as ChangedData[] });
    }
    this.lastPullAt = Date.now();
  }
}
