/**
 * Logins, logouts and token checks, over a `ServerStore`. Transport-free: the HTTP routes and
 * the Socket.IO handshake both call it.
 */
import { fr } from '../../../common/i18n/fr';
import type { Territories } from '../../../common/territory';
import type { ServerStore } from '../store/types';
import { identityOf, type Identity } from './actor';
import { decoyHash, verifyPassword } from './password';
import { LoginThrottle } from './rateLimit';
import { hashToken, newSessionToken } from './tokens';
import type { LoginResponse, WireError } from '../../../common/protocol';

export const DEFAULT_SESSION_TTL_MS = 24 * 60 * 60 * 1000;

export type LoginOutcome =
  | { ok: true; response: LoginResponse }
  | { ok: false; status: 401; error: WireError }
  /** Refused before the password is looked at; `retryAfterSec` is also in the French message. */
  | { ok: false; status: 429; error: WireError; retryAfterSec: number };

export interface AuthenticatedSession extends Identity {
  tokenHash: string;
  expiresAt: string;
}

export class AuthService {
  constructor(
    private readonly store: ServerStore,
    private readonly territories: Territories,
    private readonly now: () => Date,
    private readonly ttlMs: number = DEFAULT_SESSION_TTL_MS,
    /** The login brakes (`rateLimit.ts`); pass one built on a shared store to share them between processes. */
    private readonly throttle: LoginThrottle = new LoginThrottle(),
  ) {}

  /**
   * `address`: the client's address as `clientAddress()` resolved it (never a header a
   * client chose). The brakes are keyed on the username as typed, known or not, and a
   * refusal is decided before the password is looked at: an unknown and a known username
   * get the same answers.
   */
  login(username: string, password: string, address: string): Promise<LoginOutcome> {
    return this.throttle.serialised(username, () => this.attempt(username, password, address));
  }

  private async attempt(username: string, password: string, address: string): Promise<LoginOutcome> {
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
      return { ok: false, status: 401, error: { code: 'unauthenticated', message: fr.auth.badCredentials } };
    }
    await this.throttle.recordSuccess(username, address);
    const token = newSessionToken();
    const created = this.now();
    const expires = new Date(created.getTime() + this.ttlMs);
    await this.store.createSession(hashToken(token), record.id, created, expires);
    return { ok: true, response: { token, expiresAt: expires.toISOString(), user: identity.user } };
  }

  async logout(token: string): Promise<string> {
    const tokenHash = hashToken(token);
    await this.store.deleteSession(tokenHash);
    return tokenHash;
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
    return identity && { ...identity, tokenHash, expiresAt: session.expiresAt };
  }
}
