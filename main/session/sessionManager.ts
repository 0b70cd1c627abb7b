/**
 * The signed-in user of this workstation and everything that lives as long as their
 * session: their cache (one SQLite file per user and server), their actor (for local
 * mutators) and their sync client.
 *
 * - Start-up resumes the remembered session without the network: the cache opens and the
 *   sync client connects whenever the server is reachable.
 * - Login goes over HTTP; logout stops syncing but keeps the cache and its outbox (the next
 *   login of the same user pushes it).
 * - When the server refuses the session (expired, revoked), the session ends the same way
 *   and `session.current` answers null so the UI shows the login screen; nothing queued is
 *   lost.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SessionState, SyncStatus } from '../../common/app/api';
import type { ConsoleEvents } from '../../common/api';
import { ENTITY_NAMES } from '../../common/boards';
import type { Actor } from '../../common/engine/mutation';
import { fr } from '../../common/i18n/fr';
import { announceFresh, startBoardClocks, type BoardClocks, type VigieStore } from '../boards';
import { parseRole, type Territories } from '../../common/territory';
import { ApiError } from '../handlers';
import { SyncClient, type Emit, type SyncClientOptions } from '../sync/syncClient';
import type { CacheKeySource } from '../store/cipherKey';
import { openServerTransport, TransportError, type ServerTransport, type SyncServerConfig } from '../sync/transport';
import { cacheFileFor, cachesDir, normaliseServerUrl, SessionFile, SessionUserSchema, type RememberedSession, type SecretBox } from './sessionFile';
import { syncHttp as http, type LoginResponse, type SessionUser } from '../../common/protocol';

export interface ActiveSession {
  user: SessionUser;
  token: string;
  expiresAt: string;
  actor: Actor;
  store: VigieStore;
  sync: SyncClient;
  /** The boards' clock checks over this session's cache (`MainBoard.clock`). */
  clocks: BoardClocks;
}

/** Knobs for tests and benchmarks (timeouts, batch sizes); production uses the defaults. */
export type SyncTuning = Pick<SyncClientOptions, 'pushBatchSize' | 'pullLimit' | 'ackTimeoutMs' | 'pokePullDelayMs' | 'reconnectDelayMaxMs'>;

export interface SessionDeps {
  dataDir: string;
  serverUrl: string;
  /** The pin of the server's certificate (`SyncServerConfig.certFingerprint`). */
  certFingerprint?: SyncServerConfig['certFingerprint'];
  secretBox?: SecretBox;
  territories(): Territories;
  openStore(file: string): VigieStore;
  emit: Emit;
  log(line: string): void;
  syncTuning?: SyncTuning;
  loginTimeoutMs?: number;
  /** The cache key's source, forgotten by `eraseLocalData` (none: caches in clear, tests only). */
  cacheKey?: CacheKeySource;
}

const LoginResponseSchema = z.object({
  token: z.string().min(1).max(1024),
  expiresAt: z.string(),
  user: SessionUserSchema,
}) satisfies z.ZodType<LoginResponse>;

const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string().min(1).max(500) }) });

export class SessionManager {
  private active: ActiveSession | null = null;
  /** Why the last session ended, shown in the status until the next login. */
  private endedStatus: SyncStatus | null = null;
  private readonly file: SessionFile;
  private serverUrl: string;
  /** Every request and the sync connection go through it; null when the setting is refused (plain HTTP off loopback, a bad pin). */
  private transport: ServerTransport | null = null;
  /** Why the setting is refused (French): shown at login and in the status line. */
  private transportRefusal: string | null = null;

  constructor(private readonly deps: SessionDeps) {
    this.file = new SessionFile(deps.dataDir, deps.secretBox);
    this.serverUrl = normaliseServerUrl(deps.serverUrl);
    this.useServer(deps.certFingerprint);
  }

  /** Opens the transport to `serverUrl` (with its pin), or records why the setting is refused. */
  private useServer(certFingerprint: SyncServerConfig['certFingerprint']): void {
    this.transport?.agent?.destroy();
    this.transport = null;
    this.transportRefusal = null;
    try {
      this.transport = openServerTransport({ url: this.serverUrl, certFingerprint });
    } catch (err) {
      this.transportRefusal = err instanceof Error ? err.message : String(err);
      this.deps.log(`sync server setting refused: ${this.transportRefusal}`);
    }
  }

  /**
   * Reopens the remembered session, if it was for this server. No network: the sync client
   * connects in the background and the user works on the cache meanwhile.
   */
  resume(): void {
    const remembered = this.file.read();
    if (!this.transport) return;
    if (!remembered || normaliseServerUrl(remembered.serverUrl) !== this.serverUrl) return;
    try {
      this.activate(remembered);
    } catch (err) {
      this.deps.log(`could not resume the session: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * The first-run screen's choice of server. Only while nobody is signed in: caches and the
   * remembered session belong to one server, so a session never changes server under it.
   */
  setServerUrl(url: string): void {
    if (this.active) throw new ApiError('rejected', fr.firstRun.signedIn);
    this.serverUrl = normaliseServerUrl(url);
    // An address typed at the first-run screen comes without a pin (a policy's comes with its own).
    this.useServer(undefined);
    this.endedStatus = null;
  }

  current(): SessionState | null {
    const a = this.active;
    if (!a) return null;
    const t = this.deps.territories();
    return {
      user: a.user,
      serverUrl: this.serverUrl,
      postable: t.postableTerritories(a.actor.role).map((key) => ({ key, label: t.label(key) })),
    };
  }

  /** Who the log lines are about: user id, username and this cache's client id (no display name, no token). */
  logContext(): { userId: string; username: string; clientId: string } | null {
    const a = this.active;
    return a ? { userId: a.user.id, username: a.user.username, clientId: a.store.clientId() } : null;
  }

  requireActive(): ActiveSession {
    if (!this.active) throw new ApiError('not_logged_in', fr.api.notLoggedIn);
    return this.active;
  }

  syncStatus(): SyncStatus {
    if (this.active) return this.active.sync.status();
    return (
      this.endedStatus ?? {
        state: 'offline',
        pending: 0,
        rejected: 0,
        lastSyncAt: null,
        serverUrl: this.serverUrl,
        detail: this.transportRefusal ?? fr.api.notLoggedIn,
      }
    );
  }

  async login(username: string, password: string): Promise<SessionState> {
    const response = await this.requestLogin(username, password);
    // Whoever was signed in before stops here; their cache stays on disk, untouched.
    this.deactivate();
    const remembered: RememberedSession = { serverUrl: this.serverUrl, user: response.user, expiresAt: response.expiresAt, token: response.token };
    this.activate(remembered);
    this.file.write(remembered);
    this.endedStatus = null;
    const state = this.current();
    if (!state) throw new ApiError('internal', fr.api.internal);
    return state;
  }

  async logout(): Promise<void> {
    const a = this.active;
    if (!a) return;
    this.file.clear();
    this.endedStatus = { ...a.sync.status(), state: 'offline', detail: fr.sync.loggedOut };
    this.deactivate();
    this.deps.emit('sync.status', this.syncStatus());
    // Best effort: the server forgets the token; offline, it simply expires there.
    try {
      await this.transport?.request(http.logout, { method: 'POST', headers: { authorization: `Bearer ${a.token}` }, timeoutMs: 3_000 });
    } catch {
      // unreachable: nothing to do
    }
  }

  close(): void {
    this.deactivate();
  }

  /**
   * What « Se déconnecter et effacer les données locales » would lose: the mutations not yet
   * confirmed by the server, in every cache of this workstation (they all share one key).
   */
  localData(): { pending: number } {
    let pending = 0;
    const activeFile = this.active ? cacheFileFor(this.deps.dataDir, this.serverUrl, this.active.user.id) : null;
    if (this.active) pending += this.active.store.counts().pending;
    for (const file of this.cacheFiles()) {
      if (file === activeFile) continue;
      try {
        const store = this.deps.openStore(file);
        try {
          pending += store.counts().pending;
        } finally {
          store.close();
        }
      } catch (err) {
        // Unreadable (lost key): what it holds cannot be sent anyway.
        this.deps.log(`could not count the pending operations of ${file}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { pending };
  }

  /**
   * Ends the session and removes every cache of this workstation, the remembered session and
   * the cache key. `pendingSeen` is the count of pending mutations the user was warned of: if
   * there are more now, nothing is erased and the new count is told (the UI asks again).
   */
  async eraseLocalData(pendingSeen: number): Promise<void> {
    const { pending } = this.localData();
    if (pending > pendingSeen) throw new ApiError('rejected', fr.cacheCipher.erasePendingChanged(pending));
    const a = this.active;
    this.file.clear();
    this.deactivate();
    rmSync(cachesDir(this.deps.dataDir), { recursive: true, force: true });
    this.deps.cacheKey?.erase();
    this.endedStatus = { state: 'offline', pending: 0, rejected: 0, lastSyncAt: null, serverUrl: this.serverUrl, detail: fr.cacheCipher.erased };
    this.deps.emit('sync.status', this.syncStatus());
    this.deps.emit('data.changed', { entities: ['rejected', ...ENTITY_NAMES] });
    if (a) await this.forgetToken(a.token);
  }

  private cacheFiles(): string[] {
    try {
      return readdirSync(cachesDir(this.deps.dataDir))
        .filter((f) => f.endsWith('.sqlite'))
        .map((f) => join(cachesDir(this.deps.dataDir), f));
    } catch {
      return [];
    }
  }

  /** Best effort: the server forgets the token; offline, it simply expires there. */
  private async forgetToken(token: string): Promise<void> {
    try {
      await this.transport?.request(http.logout, { method: 'POST', headers: { authorization: `Bearer ${token}` }, timeoutMs: 3_000 });
    } catch {
      // unreachable: nothing to do
    }
  }

  private async requestLogin(username: string, password: string): Promise<LoginResponse> {
    const transport = this.transport;
    if (!transport) throw new ApiError('unreachable', this.transportRefusal ?? fr.auth.serverUnreachable(this.serverUrl));
    let res: { ok: boolean; status: number; body: unknown };
    try {
      const answer = await transport.request(http.login, {
        method: 'POST',
        json: { username, password },
        timeoutMs: this.deps.loginTimeoutMs ?? 15_000,
      });
      res = { ...answer, ok: answer.status >= 200 && answer.status < 300 };
    } catch (err) {
      // A refused certificate says so (a possible interception); anything else is "unreachable".
      throw new ApiError('unreachable', err instanceof TransportError ? err.message : fr.auth.serverUnreachable(this.serverUrl));
    }
    const body = res.body;
    if (!res.ok) {
      const err = ErrorBodySchema.safeParse(body);
      const message = err.success ? err.data.error.message : res.status === 401 ? fr.auth.badCredentials : fr.protocol.internal;
      const code = res.status === 400 ? 'bad_args' : res.status === 401 || res.status === 403 || res.status === 429 ? 'auth' : 'internal';
      throw new ApiError(code, message);
    }
    const parsed = LoginResponseSchema.safeParse(body);
    if (!parsed.success) {
      this.deps.log(`login: unexpected answer from ${this.serverUrl}`);
      throw new ApiError('internal', fr.protocol.internal);
    }
    return parsed.data;
  }

  private activate(remembered: RememberedSession): ActiveSession {
    // Checked before the cache opens: nothing to close when the setting is refused.
    const transport = this.transport;
    if (!transport) throw new ApiError('unreachable', this.transportRefusal ?? fr.auth.serverUnreachable(this.serverUrl));
    const territories = this.deps.territories();
    const role = parseRole(remembered.user.role);
    const territoryPath = territories.path(remembered.user.territory);
    if (!role || !territoryPath) throw new ApiError('internal', fr.reject.territoryUnknown(remembered.user.territory));
    const actor: Actor = {
      userId: remembered.user.id,
      displayName: remembered.user.displayName,
      roleText: remembered.user.role,
      role,
      territory: remembered.user.territory,
      territoryPath,
    };
    const store = this.deps.openStore(cacheFileFor(this.deps.dataDir, this.serverUrl, remembered.user.id));
    const announceCtx = { userId: remembered.user.id, roleText: remembered.user.role, labelOf: (k: string) => territories.label(k), emit: this.deps.emit };
    const clocks = startBoardClocks(store, announceCtx, this.deps.log);
    // The clocks look again right after a sync brought rows of their board (a hold that arrived
    // already lapsed), once the sync's own work is done; syncs in a row are looked at once.
    let clockSoon: NodeJS.Timeout | null = null;
    let soonEntities: Set<string> | null = new Set();
    const checkSoon = (entities: readonly string[] | 'all') => {
      if (entities === 'all') soonEntities = null;
      else if (soonEntities) for (const e of entities) soonEntities.add(e);
      clockSoon ??= setTimeout(() => {
        const changed = soonEntities;
        clockSoon = null;
        soonEntities = new Set();
        if (changed) clocks.changed([...changed]);
        else clocks.check();
      }, 0);
    };
    const sync = new SyncClient({
      serverUrl: this.serverUrl,
      transport,
      token: remembered.token,
      store,
      announce: (fresh) => announceFresh(fresh, announceCtx),
      emit: (event, payload) => {
        this.deps.emit(event, payload);
        if (event === 'data.changed') checkSoon((payload as ConsoleEvents['data.changed']).entities);
      },
      onSessionExpired: () => this.onExpired(store),
      log: this.deps.log,
      ...this.deps.syncTuning,
    });
    const session: ActiveSession = {
      user: remembered.user,
      token: remembered.token,
      expiresAt: remembered.expiresAt,
      actor,
      store,
      sync,
      clocks: {
        check: clocks.check,
        changed: clocks.changed,
        stop() {
          if (clockSoon) clearTimeout(clockSoon);
          clocks.stop();
        },
      },
    };
    this.active = session;
    sync.start();
    // What lapsed while the workstation was off is told once the listeners are attached.
    checkSoon('all');
    return session;
  }

  private deactivate(): void {
    const a = this.active;
    if (!a) return;
    this.active = null;
    a.clocks.stop();
    a.sync.stop();
    a.store.close();
  }

  private onExpired(store: VigieStore): void {
    if (!this.active || this.active.store !== store) return;
    const status = this.active.sync.status();
    this.endedStatus = { ...status, state: 'offline', detail: fr.protocol.unauthenticated };
    this.file.clear();
    this.deactivate();
    this.deps.emit('sync.status', this.syncStatus());
    // Views re-query and get `not_logged_in`: the UI goes back to the login screen.
    this.deps.emit('data.changed', { entities: ['rejected', ...ENTITY_NAMES] });
  }
}
