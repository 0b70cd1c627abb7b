import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHE_KEY_FILE, CacheKeyError, chooseKeyProtection, fileProtector, fixedKeySource, keyFileSource, type KeyProtector } from './cipherKey';
import { tempDir } from './testSupport';

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});
function dir(): string {
  const t = tempDir('cipherkey');
  cleanups.push(t.cleanup);
  return t.dir;
}

/** Stands for safeStorage: a reversible wrapping that is not the key itself. */
const fakeKeystore: KeyProtector = {
  protection: 'safeStorage',
  wrap: (k) => Buffer.from(k.map((b) => b ^ 0x5a)).toString('base64'),
  unwrap: (s) => {
    const b = Buffer.from(s, 'base64');
    if (b.length !== 32) throw new Error('cannot decrypt');
    return Buffer.from(b.map((x) => x ^ 0x5a));
  },
};

describe('the cache key', () => {
  it('is 32 random bytes created once per installation, kept wrapped in a 0600 file', () => {
    const d = dir();
    const k = keyFileSource(d, fakeKeystore).key();
    expect(k).toHaveLength(32);
    const file = join(d, CACHE_KEY_FILE);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { protection: string; key: string };
    expect(stored.protection).toBe('safeStorage');
    expect(Buffer.from(stored.key, 'base64').equals(k)).toBe(false);
    // Another start of the app reads the same key.
    expect(keyFileSource(d, fakeKeystore).key().equals(k)).toBe(true);
    expect(keyFileSource(dir(), fakeKeystore).key().equals(k)).toBe(false);
  });

  it('erase forgets it: the next key is a new one', () => {
    const d = dir();
    const source = keyFileSource(d, fileProtector);
    const k = source.key();
    source.erase();
    expect(existsSync(join(d, CACHE_KEY_FILE))).toBe(false);
    expect(keyFileSource(d, fileProtector).key().equals(k)).toBe(false);
  });

  it('refuses, in French, a key the keystore cannot open, one wrapped another way, and a damaged file; nothing is overwritten', () => {
    const d = dir();
    keyFileSource(d, fakeKeystore).key();
    const file = join(d, CACHE_KEY_FILE);
    const before = readFileSync(file, 'utf8');
    expect(() => keyFileSource(d, fileProtector).key()).toThrow(/protégée par « safeStorage »/);
    const broken: KeyProtector = { ...fakeKeystore, unwrap: () => { throw new Error('other account'); } };
    expect(() => keyFileSource(d, broken).key()).toThrow(CacheKeyError);
    expect(() => keyFileSource(d, broken).key()).toThrow(/trousseau du système ne peut pas déchiffrer/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    writeFileSync(file, '{"format":1');
    expect(() => keyFileSource(d, fakeKeystore).key()).toThrow(/clé des données locales est illisible/);
    expect(readFileSync(file, 'utf8')).toBe('{"format":1');
  });

  it('from VIGIE_CACHE_KEY must be 64 hex digits', () => {
    expect(fixedKeySource('ab'.repeat(32)).key()).toEqual(Buffer.alloc(32, 0xab));
    expect(() => fixedKeySource('not a key')).toThrow(/64 chiffres hexadécimaux/);
  });
});

describe('the desktop app’s choice of key protection', () => {
  const base = { platform: 'linux' as const, available: true, allowBasicText: false };
  it('uses a real keystore', () => {
    expect(chooseKeyProtection({ ...base, linuxBackend: 'gnome_libsecret' })).toEqual({ protection: 'safeStorage' });
    expect(chooseKeyProtection({ ...base, linuxBackend: 'kwallet5' })).toEqual({ protection: 'safeStorage' });
    expect(chooseKeyProtection({ platform: 'win32', available: true, allowBasicText: false })).toEqual({ protection: 'safeStorage' });
  });
  it('refuses Linux’s basic_text (no keyring) with a French reason unless the policy allows it', () => {
    const refused = chooseKeyProtection({ ...base, linuxBackend: 'basic_text' });
    expect(refused).toEqual({ refused: expect.stringMatching(/Aucun trousseau sécurisé.*« basic_text »/) });
    expect(chooseKeyProtection({ ...base, linuxBackend: 'basic_text', allowBasicText: true })).toEqual({ protection: 'safeStorage' });
  });
  it('refuses a workstation without OS encryption unless the policy allows a plain key file', () => {
    expect(chooseKeyProtection({ platform: 'darwin', available: false, allowBasicText: false })).toEqual({ refused: expect.stringMatching(/chiffrement du système/) });
    expect(chooseKeyProtection({ platform: 'darwin', available: false, allowBasicText: true })).toEqual({ protection: 'file' });
  });
});
