/**
 * TOTP (RFC 6238) with otplib: 30 s steps, 6 digits, SHA-1 (what every authenticator app
 * reads from an `otpauth://` URI), a code accepted one step early or late (clock drift of a
 * phone), never twice: the caller stores the step each accepted code belonged to and passes
 * it back as `afterStep`, so a code (or any older one) is refused once used.
 *
 * Also the recovery codes: random, shown once, stored as SHA-256 digests (they carry 50
 * random bits, so a slow hash adds nothing).
 */
import { createHash, randomInt } from 'node:crypto';
import { generate, generateSecret, generateURI, verify } from 'otplib';

export const TOTP_PERIOD_SEC = 30;
/** ±1 step. */
export const TOTP_WINDOW_STEPS = 1;
export const TOTP_ISSUER = 'Vigie';
export const RECOVERY_CODE_COUNT = 10;

/** A new random secret (20 bytes, base32): what the QR code carries. */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The `otpauth://totp/Vigie:<username>?secret=…&issuer=Vigie` URI an authenticator app scans. */
export function totpUri(username: string, secret: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: username, secret, period: TOTP_PERIOD_SEC });
}

/** The time step of a date: what `afterStep` compares. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SEC);
}

/** The code of `secret` at `at` (tests compute what a phone shows). */
export function totpCode(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000), period: TOTP_PERIOD_SEC });
}

/** Six digits, spaces ignored (apps show `123 456`). */
export function looksLikeTotp(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s+/g, ''));
}

/**
 * The step `code` belongs to if it is valid at `at` within ±1 step and later than
 * `afterStep` (the last step accepted for this user; 0 when none), else null.
 */
export async function verifyTotp(secret: string, code: string, at: Date, afterStep: number): Promise<number | null> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  // The window is counted in steps, not seconds: [step-1, step+1] whatever the second within the step.
  const step = totpStep(at);
  for (let delta = -TOTP_WINDOW_STEPS; delta <= TOTP_WINDOW_STEPS; delta++) {
    const candidate = step + delta;
    if (candidate <= afterStep) continue;
    const result = await verify({ secret, token, epoch: candidate * TOTP_PERIOD_SEC, period: TOTP_PERIOD_SEC, epochTolerance: 0 });
    if (result.valid) return candidate;
  }
  return null;
}

/** Ten recovery codes, `XXXXX-XXXXX` from an alphabet without look-alikes (50 bits each). */
export function newRecoveryCodes(): string[] {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const one = () => Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const c = one();
    return `${c.slice(0, 5)}-${c.slice(5)}`;
  });
}

/** What is stored for a recovery code: case, spaces and dashes do not matter to the user. */
export function hashRecoveryCode(code: string): string {
  const normalised = code.replace(/[\s-]+/g, '').toUpperCase();
  return createHash('sha256').update(`vigie-recovery:${normalised}`, 'utf8').digest('hex');
}
