/**
 * The key of the encrypted local cache: 32 random bytes per installation (every user's cache
 * on this workstation shares it), kept in `<data dir>/cache-key.json` (mode 0600) wrapped by
 * a `KeyProtector`:
 *
 * - the desktop app wraps it with Electron's safeStorage (the OS keystore: DPAPI, Keychain,
 *   libsecret/kwallet), see `main/electron/cacheKey.ts`;
 * - the web host has no keystore: the key file holds the key itself, protected only by the
 *   file's permissions, or the operator gives the key in `VIGIE_CACHE_KEY` and nothing is
 *   written (docs/security.md, « Cache local chiffré »).
 *
 * Never imports `electron`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { fr } from '../../common/i18n/fr';
import { CACHE_KEY_BYTES } from './cipher';

/** How a key is kept at rest. */
export type KeyProtection = 'safeStorage' | 'file';

export interface KeyProtector {
  readonly protection: KeyProtection;
  wrap(key: Buffer): string;
  /** Throws when the wrapped key cannot be opened (another OS account, another keystore). */
  unwrap(wrapped: string): Buffer;
}

/** Where the cache key comes from, and how « effacer les données locales » forgets it. */
export interface CacheKeySource {
  /** The key, created on first use. Throws a French error when it exists but cannot be read. */
  key(): Buffer;
  /** Forgets the key (the caches it opened become unreadable). */
  erase(): void;
}

export const CACHE_KEY_FILE = 'cache-key.json';

/** The key exists but cannot be used; the message (French) says what the user can do. */
export class CacheKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheKeyError';
  }
}

/** No wrapping: the file's 0600 permissions are the only protection (web host, or a policy allowing it). */
export const fileProtector: KeyProtector = {
  protection: 'file',
  wrap: (key) => key.toString('base64'),
  unwrap: (wrapped) => Buffer.from(wrapped, 'base64'),
};

const KeyFileSchema = z.strictObject({
  format: z.literal(1),
  protection: z.enum(['safeStorage', 'file']),
  key: z.string().min(1).max(4096),
});

/** The key file in `dataDir`, wrapped by `protector`; created (atomically, 0600) on first use. */
export function keyFileSource(dataDir: string, protector: KeyProtector): CacheKeySource {
  const file = join(dataDir, CACHE_KEY_FILE);
  let cached: Buffer | null = null;
  return {
    key() {
      if (cached) return cached;
      if (existsSync(file)) {
        let stored: z.infer<typeof KeyFileSchema>;
        try {
          const parsed = KeyFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
          if (!parsed.success) throw new Error('bad shape');
          stored = parsed.data;
        } catch {
          throw new CacheKeyError(fr.cacheCipher.keyFileDamaged(file));
        }
        if (stored.protection !== protector.protection) throw new CacheKeyError(fr.cacheCipher.keyProtectionMismatch(stored.protection, protector.protection));
        let key: Buffer;
        try {
          key = protector.unwrap(stored.key);
        } catch {
          throw new CacheKeyError(fr.cacheCipher.keyUnwrapFailed);
        }
        if (key.length !== CACHE_KEY_BYTES) throw new CacheKeyError(fr.cacheCipher.keyFileDamaged(file));
        cached = key;
        return key;
      }
      const key = randomBytes(CACHE_KEY_BYTES);
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ format: 1, protection: protector.protection, key: protector.wrap(key) }), { mode: 0o600 });
      renameSync(tmp, file);
      cached = key;
      return key;
    },
    erase() {
      cached = null;
      rmSync(file, { force: true });
    },
  };
}

/** The environment variable through which an operator gives the web host its cache key (64 hex digits). */
export const CACHE_KEY_ENV = 'VIGIE_CACHE_KEY';

/** A key given by the operator (`VIGIE_CACHE_KEY`): never written, never erased by the app. */
export function fixedKeySource(hex: string): CacheKeySource {
  const text = hex.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new CacheKeyError(fr.cacheCipher.envKeyInvalid(CACHE_KEY_ENV));
  const key = Buffer.from(text, 'hex');
  return { key: () => key, erase: () => undefined };
}

/** What the OS keystore looks like to the desktop app (from Electron's safeStorage). */
export interface KeystoreFacts {
  platform: NodeJS.Platform;
  /** `safeStorage.isEncryptionAvailable()` */
  available: boolean;
  /** `safeStorage.getSelectedStorageBackend()` on Linux, undefined elsewhere. */
  linuxBackend?: string;
  /** From the administrator's policy (issue 12): may a workstation without keyring keep its key in a plain file? Default: no. */
  allowBasicText: boolean;
}

/**
 * Which protection the desktop app uses for the cache key, or the French reason it refuses
 * to start. On Linux without a keyring safeStorage falls back to `basic_text`, a hard-coded
 * password: the wrapped key would be as readable as a clear one, so it is refused unless the
 * policy allows it.
 */
export function chooseKeyProtection(f: KeystoreFacts): { protection: KeyProtection } | { refused: string } {
  const weak = !f.available || (f.platform === 'linux' && (f.linuxBackend === 'basic_text' || f.linuxBackend === 'unknown'));
  if (!weak) return { protection: 'safeStorage' };
  // Allowed by policy: safeStorage's basic_text obfuscation when it exists, else the 0600 file alone.
  if (f.allowBasicText) return { protection: f.available ? 'safeStorage' : 'file' };
  return { refused: f.available ? fr.cacheCipher.basicTextRefused(f.linuxBackend ?? 'basic_text') : fr.cacheCipher.keystoreUnavailable };
}
