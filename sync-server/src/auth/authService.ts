/**
 * Logins, the second factor, refreshes, logouts and token checks, over a `ServerStore`.
 * Transport-free: the HTTP routes and the Socket.IO handshake both call it.
 *
 * A login opens a session *family* (one login on one workstation): short-lived access tokens
 * (`accessTtlMs`, 15 min) renewed by a refresh token that is spent on use (rotation). A
 * refresh token presented twice, or from another client id than the family's, ends the
 * family: a stolen copy is worth one use at most, and its use cuts the thief and the owner
 * alike (the owner logs in again). No refresh goes past the login's end (`ttlMs`).
 */
import { randomUUID } from 'node:crypto';
import { fr } from '../../../common/i18n/fr';
import type { RoleKind, Territories } from '../../../common/territory';
import type { ServerStore, UserRecord } from '../store/types';
import { identityOf, type Identity } from './actor';
import { decoyHash, verifyPassword } from './password';
import { LoginThrottle } from './rateLimit';
import { hashToken, newSessionToken } from './tokens';
import { hashRecoveryCode, looksLikeTotp, newRecoveryCodes, newTotpSecret, totpUri, verifyTotp } from './totp';
import type { EnrolConfirmResponse, EnrolStartResponse, LoginAnswer, LoginResponse, WireError } from '../../../common/protocol';

/** How long a login lasts at most (its refresh tokens' end). */
export const DEFAULT_SESSION_TTL_MS = 24 * 60 * 60 * 1000;
/** How long one access token lasts; the client refreshes before. */
export const DEFAULT_ACCESS_TTL_MS = 15 * 60 * 1000;
/** Between the password and the second factor. */
export const LOGIN_TICKET_TTL_MS = 5 * 60 * 1000;
/** Wrong codes on one ticket before the password must be typed again. */
export const MAX_CODE_FAILURES = 5;
/** The roles that always need a second factor, whatever the server's settings. */
export const MANDATORY_SECOND_FACTOR_ROLES: readonly RoleKind[] = ['national', 'ars'];

/** Who must use a second factor (docs/security.md, "Connexion"). */
export interface SecondFactorPolicy {
  /** Role kinds that must enrol and use TOTP. */
  requiredRoles: readonly RoleKind[];
  /**
   * Usernames for which the requirement is waived: the demonstration accounts of a `--demo`
   * server (their password is public anyway). The login answer says so
   * (`secondFactorWaived: 'demo'`) and the UI shows it. An account that enrolled is still
   * asked its code.
   */
  waivedUsernames?: readonly string[];
}

export type LoginOutcome =
  | { ok: true; response: LoginAnswer }
  | { ok: false; status: 401; error: WireError }
  /** Refused before the password is looked at; `retryAfterSec` is also in the French message. */
  | { ok: false; status: 429; error: WireError; retryAfterSec: number };

export type AuthOutcome<T> = { ok: true; response: T } | { ok: false; status: 401 | 409; error: WireError };

export interface AuthenticatedSession extends Identity {
  tokenHash: string;
  expiresAt: string;
  familyId: string;
  /** The client id the family is bound to (null until its first handshake or refresh). */
  clientId: string | null;
}

/** Which live sockets a revocation must cut at once. */
export type RevokedSessions = { familyId: string } | { userId: string };

export interface AuthOptions {
  accessTtlMs?: number;
  secondFactor?: SecondFactorPolicy;
  /** Told after each revocation, so the sockets of those sessions are cut at once. */
  onRevoked?: (revoked: RevokedSessions) => void;
}

const unauthenticated = (message: string): { ok: false; status: 401; error: WireError } => ({
  ok: false,
  status: 401,
  error: { code: 'unauthenticated', message },
});

export class AuthService {
  private readonly accessTtlMs: number;
  private readonly policy: SecondFactorPolicy;
  private readonly waived: ReadonlySet<string>;

  constructor(
    private readonly store: ServerStore,
    private readonly territories: Territories,
    private readonly now: () => Date,
    private readonly ttlMs: number = DEFAULT_SESSION_TTL_MS,
    /** The login brakes (`rateLimit.ts`); pass one built on a shared store to share them between processes. */
    private readonly throttle: LoginThrottle = new LoginThrottle(),
    private readonly options: AuthOptions = {},
  ) {
    this.accessTtlMs = options.accessTtlMs ?? DEFAULT_ACCESS_TTL_MS;
    this.policy = options.secondFactor ?? { requiredRoles: MANDATORY_SECOND_FACTOR_ROLES };
    this.waived = new Set((this.policy.waivedUsernames ?? []).map((u) => u.toLowerCase()));
  }

  /**
   * `address`: the client's address as `clientAddress()` resolved it (never a header a
   * client chose). The brakes are keyed on the username as typed, known or not, and a
   * refusal is decided before the password is looked at: an unknown and a known username
   * get the same answers. A right password answers tokens, or a ticket for the second
   * factor when the account has one or must enrol one.
   */
  login(username: string, password: string, address: string, clientId?: string): Promise<LoginOutcome> {
    return this.throttle.serialised(username, () => this.attempt(username, password, address, clientId));
  }

  private async attempt(username: string, password: string, address: string, clientId: string | undefined): Promise<LoginOutcome> {
    const verdict = await this.throttle.check(username, address);
    if (!verdict.allowed) {
      const message = fr.auth.tooManyAttempts(verdict.retryAfterSec);
      return { ok: false, status: 429, error: { code: 'unauthenticated', message }, retryAfterSec: verdict.retryAfterSec };
    }
    const record = await this.store.findUserByUsername(username);
    // Verify even for an unknown user so both failures cost the same time.
    const passwordOk = await verifyPassword(record?.passwordHash ?? (await decoyHash()), password);
    const identity = record && passwordOk && !record.disabled ? identityOf(record, this.territories) : null;
    if (!record || !identity) {
      await this.throttle.recordFailure(username, address);
      return unauthenticated(fr.auth.badCredentials);
    }
    await this.throttle.recordSuccess(username, address);
    const factor = await this.store.getSecondFactor(record.id);
    const required = this.policy.requiredRoles.includes(identity.actor.role.kind);
    if (factor?.confirmedAt) return { ok: true, response: await this.ticket(record.id, 'verify') };
    if (required && !this.waived.has(record.username.toLowerCase())) return { ok: true, response: await this.ticket(record.id, 'enrol') };
    const response = await this.open(record, identity, clientId ?? null);
    return { ok: true, response: required ? { ...response, secondFactorWaived: 'demo' } : response };
  }

  private async ticket(userId: string, purpose: 'verify' | 'enrol'): Promise<LoginAnswer> {
    const ticket = newSessionToken();
    const expires = new Date(this.now().getTime() + LOGIN_TICKET_TTL_MS);
    await this.store.createLoginTicket(hashToken(ticket), userId, purpose, expires);
    return { secondFactor: purpose === 'verify' ? 'totp' : 'enrol', ticket, ticketExpiresAt: expires.toISOString() };
  }

  /** The ticket's user, if the ticket holds for `purpose` and the user may still log in. */
  private async ticketUser(ticket: string, purpose: 'verify' | 'enrol'): Promise<{ record: UserRecord; identity: Identity } | null> {
    const found = await this.store.findLoginTicket(hashToken(ticket), this.now());
    if (!found || found.purpose !== purpose) return null;
    const record = await this.store.getUser(found.userId);
    const identity = record && !record.disabled ? identityOf(record, this.territories) : null;
    return record && identity ? { record, identity } : null;
  }

  /** A wrong code: counted on the ticket (5 and it is gone) and on the account's login brakes. */
  private async wrongCode(ticket: string, username: string, address: string, message: string): Promise<{ ok: false; status: 401; error: WireError }> {
    await this.throttle.recordFailure(username, address);
    const failures = await this.store.failLoginTicket(hashToken(ticket));
    if (failures >= MAX_CODE_FAILURES) {
      await this.store.deleteLoginTicket(hashToken(ticket));
      return unauthenticated(fr.auth.tooManyCodes);
    }
    return unauthenticated(message);
  }

  /** Second step for an enrolled user: a TOTP code (±1 step, never one already used) or an unused recovery code. */
  async verifySecondFactor(ticket: string, code: string, address: string, clientId?: string): Promise<AuthOutcome<LoginResponse>> {
    const who = await this.ticketUser(ticket, 'verify');
    if (!who) return unauthenticated(fr.auth.ticketExpired);
    const { record, identity } = who;
    const factor = await this.store.getSecondFactor(record.id);
    if (!factor?.confirmedAt) return unauthenticated(fr.auth.ticketExpired);
    const at = this.now();
    let ok: boolean;
    if (looksLikeTotp(code)) {
      const step = await verifyTotp(factor.secret, code, at, factor.lastStep);
      // `acceptTotpStep` is the atomic guard: of two requests with one code, one wins.
      ok = step !== null && (await this.store.acceptTotpStep(record.id, step));
      if (!ok && (await verifyTotp(factor.secret, code, at, 0)) !== null) {
        return this.wrongCode(ticket, record.username, address, fr.auth.codeReused);
      }
    } else {
      ok = await this.store.useRecoveryCode(record.id, hashRecoveryCode(code), at);
    }
    if (!ok) return this.wrongCode(ticket, record.username, address, fr.auth.badCode);
    await this.store.deleteLoginTicket(hashToken(ticket));
    return { ok: true, response: await this.open(record, identity, clientId ?? null) };
  }

  /** Enrolment forced by a login: a new secret each call (a QR code shown and lost is replaced). */
  async startEnrolment(ticket: string): Promise<AuthOutcome<EnrolStartResponse>> {
    const who = await this.ticketUser(ticket, 'enrol');
    if (!who) return unauthenticated(fr.auth.ticketExpired);
    const secret = newTotpSecret();
    if (!(await this.store.startSecondFactorEnrolment(who.record.id, secret))) {
      return { ok: false, status: 409, error: { code: 'forbidden', message: fr.auth.alreadyEnrolled } };
    }
    return { ok: true, response: { secret, otpauthUri: totpUri(who.record.username, secret) } };
  }

  /** The first code proves the app holds the secret: the factor is on, ten recovery codes are made and the session opens. */
  async confirmEnrolment(ticket: string, code: string, address: string, clientId?: string): Promise<AuthOutcome<EnrolConfirmResponse>> {
    const who = await this.ticketUser(ticket, 'enrol');
    if (!who) return unauthenticated(fr.auth.ticketExpired);
    const { record, identity } = who;
    const factor = await this.store.getSecondFactor(record.id);
    if (!factor || factor.confirmedAt) return { ok: false, status: 409, error: { code: 'forbidden', message: fr.auth.notEnrolling } };
    const at = this.now();
    const step = await verifyTotp(factor.secret, code, at, 0);
    if (step === null) return this.wrongCode(ticket, record.username, address, fr.auth.badCode);
    const recoveryCodes = newRecoveryCodes();
    if (!(await this.store.confirmSecondFactor(record.id, step, recoveryCodes.map(hashRecoveryCode), at))) {
      return { ok: false, status: 409, error: { code: 'forbidden', message: fr.auth.alreadyEnrolled } };
    }
    await this.store.deleteLoginTicket(hashToken(ticket));
    const response = await this.open(record, identity, clientId ?? null);
    return { ok: true, response: { ...response, recoveryCodes } };
  }

  /** Opens a family and issues its first pair of tokens. */
  private async open(record: UserRecord, identity: Identity, clientId: string | null): Promise<LoginResponse> {
    const created = this.now();
    const family = { id: randomUUID(), userId: record.id, clientId, createdAt: created.toISOString(), expiresAt: new Date(created.getTime() + this.ttlMs).toISOString() };
    await this.store.createSessionFamily(family);
    return this.issue(family.id, record.id, identity, new Date(family.expiresAt));
  }

  private async issue(familyId: string, userId: string, identity: Identity, familyEnd: Date): Promise<LoginResponse> {
    const created = this.now();
    const token = newSessionToken();
    const refreshToken = newSessionToken();
    const expires = new Date(Math.min(created.getTime() + this.accessTtlMs, familyEnd.getTime()));
    await this.store.createSession(hashToken(token), userId, created, expires, familyId);
    await this.store.insertRefreshToken(hashToken(refreshToken), familyId, familyEnd);
    return { token, expiresAt: expires.toISOString(), refreshToken, refreshExpiresAt: familyEnd.toISOString(), user: identity.user };
  }

  /**
   * Spends `refreshToken` and answers a new pair. Refused — and the family ended — when the
   * token was already spent (a copy is replayed) or comes from another client id than the
   * family's. The access tokens issued before stay valid until their own (short) expiry.
   */
  async refresh(refreshToken: string, clientId: string): Promise<AuthOutcome<LoginResponse>> {
    const use = await this.store.useRefreshToken(hashToken(refreshToken), this.now());
    if (use.status === 'unknown') return unauthenticated(fr.auth.refreshRefused);
    const { family } = use;
    if (use.status === 'reused') {
      await this.revokeFamily(family.id);
      return unauthenticated(fr.auth.refreshReused);
    }
    const bound = family.clientId ?? (await this.store.bindFamilyClient(family.id, clientId));
    if (bound !== clientId) {
      await this.revokeFamily(family.id);
      return unauthenticated(fr.auth.refreshOtherClient);
    }
    const record = await this.store.getUser(family.userId);
    const identity = record && !record.disabled ? identityOf(record, this.territories) : null;
    if (!record || !identity) return unauthenticated(fr.auth.refreshRefused);
    return { ok: true, response: await this.issue(family.id, record.id, identity, new Date(family.expiresAt)) };
  }

  /**
   * Ends this workstation's login: the family of the access token, or of the refresh token
   * when the access token has expired. Answers the family, or null when neither was known
   * (idempotent: already logged out).
   */
  async logout(token: string | null, refreshToken?: string): Promise<string | null> {
    const session = token ? await this.store.findSession(hashToken(token), this.now()) : undefined;
    let familyId = session?.familyId ?? null;
    if (!familyId && refreshToken) {
      const use = await this.store.useRefreshToken(hashToken(refreshToken), this.now());
      familyId = use.status === 'unknown' ? null : use.family.id;
    }
    if (familyId) await this.revokeFamily(familyId);
    return familyId;
  }

  /** « Se déconnecter partout »: every session of the token's user. Null when the token is not valid. */
  async logoutEverywhere(token: string): Promise<string | null> {
    const session = await this.store.findSession(hashToken(token), this.now());
    if (!session) return null;
    await this.revokeUserSessions(session.userId);
    return session.userId;
  }

  /**
   * An administrator's revoke (and logout everywhere): ends every session of `userId` and
   * cuts its live sockets at once. Returns the logins ended.
   */
  async revokeUserSessions(userId: string): Promise<number> {
    const n = await this.store.revokeUserSessions(userId);
    this.options.onRevoked?.({ userId });
    return n;
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.store.revokeSessionFamily(familyId);
    this.options.onRevoked?.({ familyId });
  }

  /** The session behind a token, or null when it is unknown, expired, or its user cannot act. */
  async authenticate(token: string): Promise<AuthenticatedSession | null> {
    return this.authenticateHash(hashToken(token));
  }

  async authenticateHash(tokenHash: string): Promise<AuthenticatedSession | null> {
    const session = await this.store.findSession(tokenHash, this.now());
    if (!session) return null;
    const record = await this.store.getUser(session.userId);
    if (!record || record.disabled) return null;
    const identity = identityOf(record, this.territories);
    return identity && { ...identity, tokenHash, expiresAt: session.expiresAt, familyId: session.familyId, clientId: session.clientId };
  }

  /** Binds the session's family to `clientId` if unbound; true when it is (now) bound to it. */
  async bindClient(session: AuthenticatedSession, clientId: string): Promise<boolean> {
    if (session.clientId === clientId) return true;
    if (session.clientId !== null) return false;
    return (await this.store.bindFamilyClient(session.familyId, clientId)) === clientId;
  }
}
