/** Password hashing with argon2id (OWASP's first choice), via @node-rs/argon2. */
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';

/**
 * `Algorithm` is an ambient `const enum` that the package does not export at run time, and
 * `isolatedModules` forbids inlining it: spell Argon2id's value once, typed against the enum.
 * A test checks that hashes start with `$argon2id$`.
 */
const ARGON2ID = 2 as Algorithm;

/** 19 MiB, 2 passes, 1 lane: OWASP's minimum argon2id profile, ~20 ms on the build machines. */
const OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash must read as a failed login, not a server error.
    return false;
  }
}

/**
 * A fixed hash to verify against when the username is unknown, so that an unknown user and
 * a wrong password take the same time (no user enumeration by timing).
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('vigie-decoy-password');
  return decoy;
}
