/**
 * The signed-in user of this workstation and everything that lives as long as their
 * session: their cache (one SQLite file per user and server), their actor (for local
 * mutators) and their sync client.
 *
 * - Start-up resumes the remembered session without the network: the cache opens and the
 *   sync client connects whenever the server is reachable.
 * - Login goes over HTTP: the password, then — when the account has or must enrol a second
 *   factor — a TOTP code (or a recovery code), or the enrolment from a QR code. Logout stops
 *   syncing but keeps the cache and its outbox (the next login of the same user pushes it).
 * - The access token lives minutes: it is renewed with the refresh token before it expires
 *   and whenever the server refuses it; a refused renewal ends the session as below.
 * - When the server refuses the session (expired, revoked), the session ends the same way
 *   and `session.current` answers null so the UI shows the login screen; nothing queued is
 *   lost.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { SecondFactorStep, SessionState, SignedIn, SyncStatus } from '../../common/app/api';
import type { ConsoleEvents } from '../../common/api';
import { ENTITY_NAMES } from '../../common/boards';
import type { Actor } from '../../common/engine/mutation';
import { fr } from '../../common/i18n/fr';
import { announceFresh, startBoardClocks, type BoardClocks, type VigieStore } from '../boards';
import { parseRole, type Territories } from '../../common/territory';
import { ApiError } from '../handlers';
import { SyncClient, type Emit, type SyncClientOptions } from '../sync/syncClient';
import type { CacheKeySource } from '../store/cipherKey';
import { openServerTransport, TransportError, type ServerResponse, type ServerTransport, type SyncServerConfig } from '../sync/transport';
import { cacheFileFor, cachesDir, normaliseServerUrl, SessionFile, SessionUserSchema, type RememberedSession, type SecretBox } from './sessionFile';
import { syncHttp as http, type LoginResponse, type SessionUser } from '../../common/protocol';

/** Renew the access token this long before it expires. */
const REFRESH_AHEAD_MS = 60_000;

export interface ActiveSession {
  user: SessionUser;
  token: string;
  expiresAt: string;
  refreshToken?: string;
  refreshExpiresAt?: string;
  actor: Actor;
  store: VigieStore;
  sync: SyncClient;
  /** The boards' clock checks over this session's cache (`MainBoard.clock`). */
  clocks: BoardClocks;
}

/** Knobs for tests and benchmarks (timeouts, batch sizes); production uses the defaults. */
export type SyncTuning = Pick<SyncClientOptions, 'pushBatchSize' | 'pullLimit' | 'ackTimeoutMs' | 'pokePullDelayMs' | 'idlePullMs' | 'reconnectDelayMaxMs'>;

export interface SessionDeps {
  dataDir: string;
  serverUrl: string;
  /** The pin of the server's certificate (`SyncServerConfig.certFingerprint`). */
  certFingerprint?: SyncServerConfig['certFingerprint'];
  /** The policy's proxy for every connection to the server (`SyncServerConfig.proxy`); absent: direct. */
  proxy?: SyncServerConfig['proxy'];
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
  refreshToken: z.string().min(1).max(1024),
  refreshExpiresAt: z.string(),
  user: SessionUserSchema,
  secondFactorWaived: z.literal('demo').optional(),
}) satisfies z.ZodType<LoginResponse>;

const ChallengeSchema = z.object({ secondFactor: z.enum(['totp', 'enrol']), ticket: z.string().min(1).max(200), ticketExpiresAt: z.string() });
const EnrolStartSchema = z.object({ secret: z.string().min(1).max(200), otpauthUri: z.string().startsWith('otpauth://').max(1000) });
const RecoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string().max(40)).max(20) });

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
  /** Between the password and the second factor. */
  private pending: { ticket: string; stage: 'totp' | 'enrol' } | null = null;
  /** The renewal in flight, shared by whoever asks meanwhile. */
  private renewal: Promise<'ok' | 'refused' | 'unreachable'> | null = null;
  private renewTimer: NodeJS.Timeout | null = null;

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
      this.transport = openServerTransport({ url: this.serverUrl, certFingerprint, proxy: this.deps.proxy });
    } catch (err) {
      this.transportRefusal = err instanceof Error ? err.message : String(err);
      this.deps.log(`sync server setting refused: ${this.transportRefusal}`);
    }
  }

  /** The transport, or the reason there is none as an ApiError. */
  private requireTransport(): ServerTransport {
    if (!this.transport) throw new ApiError('unreachable', this.transportRefusal ?? fr.auth.serverUnreachable(this.serverUrl));
    return this.transport;
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
    this.pending = null;
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

  /** The password step: a session, or the second factor to ask (`secondFactor`). */
  async login(username: string, password: string): Promise<SignedIn | SecondFactorStep> {
    this.pending = null;
    const body = await this.post(http.login, { username, password });
    const challenge = ChallengeSchema.safeParse(body);
    if (challenge.success) {
      const { ticket } = challenge.data;
      if (challenge.data.secondFactor === 'totp') {
        this.pending = { ticket, stage: 'totp' };
        return { secondFactor: 'totp' };
      }
      const started = EnrolStartSchema.safeParse(await this.post(http.enrolStart, { ticket }));
      if (!started.success) throw this.unexpected('enrol');
      this.pending = { ticket, stage: 'enrol' };
      const qrDataUrl = await QRCode.toDataURL(started.data.otpauthUri, { errorCorrectionLevel: 'M', margin: 1, width: 220 });
      return { secondFactor: 'enrol', qrDataUrl, secret: started.data.secret };
    }
    return this.signIn(body);
  }

  /** The second step: the app's code (or a recovery code), after an enrolment or not. */
  async secondFactor(code: string): Promise<SignedIn> {
    const pending = this.pending;
    if (!pending) throw new ApiError('auth', fr.auth.ticketExpired);
    let body: unknown;
    try {
      body = await this.post(pending.stage === 'totp' ? http.loginTotp : http.enrolConfirm, { ticket: pending.ticket, code });
    } catch (err) {
      // A dead ticket sends the user back to the password; a wrong code lets them try again.
      if (err instanceof ApiError && (err.message === fr.auth.ticketExpired || err.message === fr.auth.tooManyCodes)) this.pending = null;
      throw err;
    }
    this.pending = null;
    const state = this.signIn(body);
    const codes = RecoveryCodesSchema.safeParse(body);
    return codes.success ? { ...state, recoveryCodes: codes.data.recoveryCodes } : state;
  }

  private signIn(body: unknown): SignedIn {
    const parsed = LoginResponseSchema.safeParse(body);
    if (!parsed.success) throw this.unexpected('login');
    const response = parsed.data;
    // Whoever was signed in before stops here; their cache stays on disk, untouched.
    this.deactivate();
    const remembered: RememberedSession = {
      serverUrl: this.serverUrl,
      user: response.user,
      expiresAt: response.expiresAt,
      token: response.token,
      refreshToken: response.refreshToken,
      refreshExpiresAt: response.refreshExpiresAt,
    };
    this.activate(remembered);
    this.file.write(remembered);
    this.endedStatus = null;
    const state = this.current();
    if (!state) throw new ApiError('internal', fr.api.internal);
    return response.secondFactorWaived ? { ...state, secondFactorWaived: response.secondFactorWaived } : state;
  }

  /**
   * Renews the access token with the refresh token (which the server replaces). `refused`:
   * the login is over (ended elsewhere, expired, or the refresh token was replayed);
   * `unreachable`: try again later, the cache keeps working.
   */
  refresh(): Promise<'ok' | 'refused' | 'unreachable'> {
    this.renewal ??= this.renew().finally(() => {
      this.renewal = null;
    });
    return this.renewal;
  }

  private async renew(): Promise<'ok' | 'refused' | 'unreachable'> {
    const a = this.active;
    if (!a) return 'refused';
    if (!a.refreshToken) return 'refused';
    const transport = this.transport;
    if (!transport) return 'unreachable';
    let res: ServerResponse;
    try {
      res = await transport.request(http.refresh, {
        method: 'POST',
        json: { refreshToken: a.refreshToken, clientId: a.store.clientId() },
        timeoutMs: this.deps.loginTimeoutMs ?? 15_000,
      });
    } catch {
      return 'unreachable';
    }
    if (this.active !== a) return 'refused';
    if (res.status === 401) return 'refused';
    const parsed = LoginResponseSchema.safeParse(res.body);
    if (res.status < 200 || res.status >= 300 || !parsed.success) return 'unreachable';
    a.token = parsed.data.token;
    a.expiresAt = parsed.data.expiresAt;
    a.refreshToken = parsed.data.refreshToken;
    a.refreshExpiresAt = parsed.data.refreshExpiresAt;
    a.sync.setToken(a.token);
    this.file.write({ serverUrl: this.serverUrl, user: a.user, expiresAt: a.expiresAt, token: a.token, refreshToken: a.refreshToken, refreshExpiresAt: a.refreshExpiresAt });
    this.scheduleRenewal(a);
    return 'ok';
  }

  /** Renews a minute before the access token expires (retrying every minute while the server is unreachable). */
  private scheduleRenewal(a: ActiveSession, retryMs?: number): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    const wait = retryMs ?? Math.max(5_000, Date.parse(a.expiresAt) - Date.now() - REFRESH_AHEAD_MS);
    this.renewTimer = setTimeout(() => {
      this.renewTimer = null;
      if (this.active !== a) return;
      void this.refresh().then((outcome) => {
        if (this.active !== a) return;
        if (outcome === 'unreachable') this.scheduleRenewal(a, 60_000);
        // `refused`: the socket's next handshake is refused and ends the session (`onExpired`).
      });
    }, Math.min(wait, 2_147_483_647));
    this.renewTimer.unref?.();
  }

  async logout(): Promise<void> {
    const a = this.active;
    if (!a) return;
    this.file.clear();
    this.endedStatus = { ...a.sync.status(), state: 'offline', detail: fr.sync.loggedOut };
    this.deactivate();
    this.deps.emit('sync.status', this.syncStatus());
    await this.forgetLogin(a);
  }

  /**
   * « Se déconnecter partout »: the server ends every session of the account (its sockets are
   * cut at once); this workstation returns to the login screen with its cache and outbox.
   * Needs the server: offline, nothing is ended and the error says so.
   */
  async logoutEverywhere(): Promise<void> {
    const a = this.requireActive();
    const transport = this.requireTransport();
    const attempt = () =>
      transport.request(http.logoutAll, { method: 'POST', headers: { authorization: `Bearer ${a.token}` }, timeoutMs: this.deps.loginTimeoutMs ?? 15_000 });
    let res: ServerResponse;
    try {
      res = await attempt();
      // An access token expired meanwhile: renew it once and ask again.
      if (res.status === 401 && (await this.refresh()) === 'ok') res = await attempt();
    } catch (err) {
      throw new ApiError('unreachable', err instanceof TransportError ? err.message : fr.auth.serverUnreachable(this.serverUrl));
    }
    if ((res.status < 200 || res.status >= 300) && res.status !== 401) throw new ApiError('internal', fr.protocol.internal);
    // Ended (or already ended: a 401 after a refused renewal): this workstation leaves too.
    await this.logout();
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
    if (a) await this.forgetLogin(a);
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

  /** Best effort: the server ends this login (the refresh token too: the access token may have expired); offline, it simply expires there. */
  private async forgetLogin(a: ActiveSession): Promise<void> {
    try {
      await this.transport?.request(http.logout, {
        method: 'POST',
        headers: { authorization: `Bearer ${a.token}` },
        json: a.refreshToken ? { refreshToken: a.refreshToken } : {},
        timeoutMs: 3_000,
      });
    } catch {
      // unreachable: nothing to do
    }
  }

  /** POSTs JSON to the server; a refusal becomes an ApiError with the server's French message. */
  private async post(path: string, payload: unknown): Promise<unknown> {
    const transport = this.requireTransport();
    let res: ServerResponse;
    try {
      res = await transport.request(path, { method: 'POST', json: payload, timeoutMs: this.deps.loginTimeoutMs ?? 15_000 });
    } catch (err) {
      // A refused certificate says so (a possible interception); anything else is "unreachable".
      throw new ApiError('unreachable', err instanceof TransportError ? err.message : fr.auth.serverUnreachable(this.serverUrl));
    }
    const body = res.body;
    if (res.status < 200 || res.status >= 300) {
      const err = ErrorBodySchema.safeParse(body);
      const message = err.success ? err.data.error.message : res.status === 401 ? fr.auth.badCredentials : fr.protocol.internal;
      const code = res.status === 400 ? 'bad_args' : res.status === 401 || res.status === 403 || res.status === 409 || res.status === 429 ? 'auth' : 'internal';
      throw new ApiError(code, message);
    }
    return body;
  }

  private unexpected(what: string): ApiError {
    this.deps.log(`${what}: unexpected answer from ${this.serverUrl}`);
    return new ApiError('internal', fr.protocol.internal);
  }

  private activate(remembered: RememberedSession): ActiveSession {
    // Checked before the cache opens: nothing to close when the setting is refused.
    const transport = this.requireTransport();
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
      refresh: () => this.refresh(),
      log: this.deps.log,
      ...this.deps.syncTuning,
    });
    const session: ActiveSession = {
      user: remembered.user,
      token: remembered.token,
      expiresAt: remembered.expiresAt,
      refreshToken: remembered.refreshToken,
      refreshExpiresAt: remembered.refreshExpiresAt,
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
    if (session.refreshToken) this.scheduleRenewal(session);
    sync.start();
    // What lapsed while the workstation was off is told once the listeners are attached.
    checkSoon('all');
    return session;
  }

  private deactivate(): void {
    const a = this.active;
    if (!a) return;
    this.active = null;
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = null;
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
