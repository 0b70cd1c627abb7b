import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHE_MIGRATIONS, localStoreOn, openLocalStore, type VigieStore } from '../boards';
import { CacheKeyMismatch, encryptClearCache, encryptingFile, isClearDatabase, type EncryptionStep } from './cipher';
import { openDatabase } from './db';
import { actorFor, tempDir, testTerritories } from './testSupport';

const samu75 = actorFor('u-samu75', 'samu:75', 'SAMU 75 régulation');
const SECRET = 'Patient transféré depuis la Pitié, lit 12';

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});
function dir(): string {
  const t = tempDir('cipher');
  cleanups.push(t.cleanup);
  return t.dir;
}
const key = (): Buffer => randomBytes(32);
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** An event and a message posted locally: two pending outbox entries, the message's body in the overlay. */
function writeLocal(store: VigieStore): void {
  const eventId = randomUUID();
  expect(store.mutate('event.open', { id: eventId, title: 'Afflux gare de Lyon', territory: 'D:75' }, samu75).ok).toBe(true);
  expect(store.mutate('message.post', { id: randomUUID(), eventId, territory: 'D:75', kind: 'information', priority: 'info', body: SECRET }, samu75).ok).toBe(true);
}

function rawBytesHold(file: string, text: string): boolean {
  return [file, `${file}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(Buffer.from(text, 'utf8')));
}

describe('encrypted local cache', () => {
  it('is unreadable without the key: plain SQLite says "file is not a database" and the raw bytes hold no message text', () => {
    const file = join(dir(), 'cache.sqlite');
    const k = key();
    const store = openLocalStore(file, testTerritories(), { key: k });
    writeLocal(store);
    // While open: the WAL holds the last writes, and it is encrypted too.
    expect(rawBytesHold(file, SECRET)).toBe(false);
    expect(rawBytesHold(file, 'Afflux gare de Lyon')).toBe(false);
    store.close();
    expect(rawBytesHold(file, SECRET)).toBe(false);
    expect(isClearDatabase(file)).toBe(false);
    expect(() => {
      const plain = new Database(file, { fileMustExist: true });
      try {
        plain.prepare('SELECT count(*) FROM sqlite_master').get();
      } finally {
        plain.close();
      }
    }).toThrow('file is not a database');
  });

  it('is readable with its key: the rows and the outbox come back', () => {
    const file = join(dir(), 'cache.sqlite');
    const k = key();
    const store = openLocalStore(file, testTerritories(), { key: k });
    writeLocal(store);
    store.close();
    const again = openLocalStore(file, testTerritories(), { key: k });
    expect(again.outbox().map((o) => [o.name, o.status])).toEqual([
      ['event.open', 'pending'],
      ['message.post', 'pending'],
    ]);
    expect(again.db.prepare('SELECT body FROM ov_messages').all()).toEqual([{ body: SECRET }]);
    again.close();
  });

  it('refuses a wrong key with a French message and leaves the file byte for byte as it was', () => {
    const file = join(dir(), 'cache.sqlite');
    const store = openLocalStore(file, testTerritories(), { key: key() });
    writeLocal(store);
    store.close();
    const before = sha(file);
    expect(() => openDatabase(file, CACHE_MIGRATIONS, { key: key() })).toThrow(CacheKeyMismatch);
    expect(() => openDatabase(file, CACHE_MIGRATIONS, { key: key() })).toThrow(/ne peuvent pas être ouvertes avec sa clé.*Rien n’a été modifié/);
    expect(sha(file)).toBe(before);
    expect(existsSync(encryptingFile(file))).toBe(false);
  });
});

/** A clear cache as an earlier release leaves it: written without a key. */
function clearCache(file: string): { outbox: unknown; messages: unknown } {
  const store = openLocalStore(file, testTerritories());
  writeLocal(store);
  const snapshot = { outbox: store.outbox(), messages: store.db.prepare('SELECT * FROM ov_messages').all() };
  store.close();
  expect(isClearDatabase(file)).toBe(true);
  expect(rawBytesHold(file, SECRET)).toBe(true);
  return snapshot;
}

describe('an existing clear cache', () => {
  it('is encrypted at its first opening with a key, keeping every row and outbox entry', () => {
    const file = join(dir(), 'cache.sqlite');
    const before = clearCache(file);
    const k = key();
    const store = openLocalStore(file, testTerritories(), { key: k });
    expect(store.outbox()).toEqual(before.outbox);
    expect(store.db.prepare('SELECT * FROM ov_messages').all()).toEqual(before.messages);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(CACHE_MIGRATIONS.length);
    store.close();
    expect(isClearDatabase(file)).toBe(false);
    expect(rawBytesHold(file, SECRET)).toBe(false);
    expect(existsSync(encryptingFile(file))).toBe(false);
  });

  it('left by a crash with its last writes still in the WAL keeps them once encrypted', () => {
    const d = dir();
    const live = join(d, 'live.sqlite');
    const db = openDatabase(live, CACHE_MIGRATIONS);
    db.pragma('wal_autocheckpoint = 0');
    const store = localStoreOn(db, testTerritories());
    writeLocal(store);
    // What kill -9 leaves on disk: the main file and a WAL holding the commits.
    const file = join(d, 'cache.sqlite');
    copyFileSync(live, file);
    copyFileSync(`${live}-wal`, `${file}-wal`);
    store.close();
    expect(readFileSync(`${file}-wal`).includes(Buffer.from(SECRET))).toBe(true);

    const encrypted = openLocalStore(file, testTerritories(), { key: key() });
    expect(encrypted.outbox().map((o) => o.name)).toEqual(['event.open', 'message.post']);
    expect(encrypted.db.prepare('SELECT body FROM ov_messages').all()).toEqual([{ body: SECRET }]);
    encrypted.close();
    expect(rawBytesHold(file, SECRET)).toBe(false);
  });

  const steps: EncryptionStep[] = ['checkpointed', 'encrypted', 'clearSidecarsRemoved', 'swapped'];
  it.each(steps)('interrupted after the step "%s" is recovered at the next opening, nothing lost', (step) => {
    const file = join(dir(), 'cache.sqlite');
    const before = clearCache(file);
    const k = key();
    expect(() =>
      encryptClearCache(file, k, {
        afterStep: (s) => {
          if (s === step) throw new Error('crash simulated');
        },
      }),
    ).toThrow('crash simulated');
    // Before the swap the clear file is still the whole cache; after it, the encrypted one is.
    expect(isClearDatabase(file)).toBe(step !== 'swapped');
    const store = openLocalStore(file, testTerritories(), { key: k });
    expect(store.outbox()).toEqual(before.outbox);
    expect(store.db.prepare('SELECT * FROM ov_messages').all()).toEqual(before.messages);
    store.close();
    expect(isClearDatabase(file)).toBe(false);
    expect(existsSync(encryptingFile(file))).toBe(false);
    expect(rawBytesHold(file, SECRET)).toBe(false);
  });
});
