import { expect, it } from 'vitest';
import { cacheAt, tempDir } from '../testSupport';

const t = tempDir('m001');

it('migration 1 creates the key-value meta table (one value per key)', () => {
  const { db } = cacheAt(1, t.dir);
  db.prepare("INSERT INTO meta (key, value) VALUES ('cursor', '0')").run();
  expect(() => db.prepare("INSERT INTO meta (key, value) VALUES ('cursor', '1')").run()).toThrow(/UNIQUE/);
  expect(() => db.prepare("INSERT INTO meta (key, value) VALUES ('x', NULL)").run()).toThrow(/NOT NULL/);
  db.close();
  t.cleanup();
});
