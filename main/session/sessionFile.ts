/**
 * The remembered session, so a workstation restarts straight into its cache without the
 * network (a field post restarts offline and keeps working). One small JSON file in the data
 * dir, mode 0600, written atomically; the token is sealed by the OS keystore when the host
 * offers one (Electron's safeStorage).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SessionUser } from '../../common/protocol';

export interface SecretBox {
  seal(s: string): string;
  open(s: string): string;
}

export const SessionUserSchema = z.object({
  id: z.string().min(1).max(128),
  username: z.string().min(1).max(64),
  displayName: z.string().min(1).max(200),
  role: z.string().min(1).max(80),
  territory: z.string().min(2).max(60),
  territoryLabel: z.string().max(200),
}) satisfies z.ZodType<SessionUser>;

const StoredSessionSchema = z.strictObject({
  /** 1: before refresh tokens (read, never written); 2: with the refresh token. */
  format: z.union([z.literal(1), z.literal(2)]),
  serverUrl: z.string().min(1),
  user: SessionUserSchema,
  expiresAt: z.string(),
  /** The access token, sealed when `sealed` is true. */
  token: z.string().min(1),
  /** The refresh token, sealed like the access token. */
  refreshToken: z.string().min(1).optional(),
  refreshExpiresAt: z.string().optional(),
  sealed: z.boolean(),
});
type StoredSession = z.infer<typeof StoredSessionSchema>;

export interface RememberedSession {
  serverUrl: string;
  user: SessionUser;
  expiresAt: string;
  token: string;
  /** Renews `token` (absent in a file written before refresh tokens: the next refusal ends the session). */
  refreshToken?: string;
  refreshExpiresAt?: string;
}

const FILE_NAME = 'session.json';

/** The server URL as a stable key: no trailing slash, lower-case scheme and host. */
export function normaliseServerUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url.replace(/\/+$/, '');
  }
}

/**
 * The cache file of one user on one server. A different user (or server) on the same
 * workstation gets a different file and never sees this one's rows.
 */
export function cacheFileFor(dataDir: string, serverUrl: string, userId: string): string {
  const key = createHash('sha256').update(`${normaliseServerUrl(serverUrl)}\n${userId}`).digest('hex').slice(0, 24);
  return join(cachesDir(dataDir), `${key}.sqlite`);
}

/** The folder of every user's cache on this workstation. */
export function cachesDir(dataDir: string): string {
  return join(dataDir, 'caches');
}

export class SessionFile {
  private readonly file: string;

  constructor(
    private readonly dataDir: string,
    private readonly secretBox?: SecretBox,
  ) {
    this.file = join(dataDir, FILE_NAME);
  }

  /** The remembered session, or null when there is none or it cannot be read back. */
  read(): RememberedSession | null {
    if (!existsSync(this.file)) return null;
    let stored: StoredSession;
    try {
      const parsed = StoredSessionSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (!parsed.success) return null;
      stored = parsed.data;
    } catch {
      return null;
    }
    let token: string;
    let refreshToken: string | undefined;
    if (stored.sealed) {
      if (!this.secretBox) return null;
      try {
        token = this.secretBox.open(stored.token);
        refreshToken = stored.refreshToken === undefined ? undefined : this.secretBox.open(stored.refreshToken);
      } catch {
        return null; // sealed by another OS account or keystore: log in again
      }
    } else {
      token = stored.token;
      refreshToken = stored.refreshToken;
    }
    return { serverUrl: stored.serverUrl, user: stored.user, expiresAt: stored.expiresAt, token, refreshToken, refreshExpiresAt: stored.refreshExpiresAt };
  }

  write(session: RememberedSession): void {
    mkdirSync(this.dataDir, { recursive: true });
    const seal = (text: string) => (this.secretBox ? this.secretBox.seal(text) : text);
    const stored: StoredSession = {
      format: 2,
      serverUrl: session.serverUrl,
      user: session.user,
      expiresAt: session.expiresAt,
      token: seal(session.token),
      refreshToken: session.refreshToken === undefined ? undefined : seal(session.refreshToken),
      refreshExpiresAt: session.refreshExpiresAt,
      sealed: Boolean(this.secretBox),
    };
    // Write then rename: a crash never leaves half a file; 0600: the tokens are credentials.
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(stored), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  clear(): void {
    rmSync(this.file, { force: true });
  }
}
