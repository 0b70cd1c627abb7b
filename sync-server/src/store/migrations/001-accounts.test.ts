import { expect, it } from 'vitest';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 1 creates accounts (usernames unique whatever the case), sessions, clients and the exactly-once ledger', () => {
  const t = tempDir();
  const { db } = serverDbAt(1, t.dir);
  try {
    db.exec(`INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES ('u1', 'Samu75', 'SAMU', 'samu:75', 'x', 'now')`);
    expect(() => db.exec(`INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES ('u2', 'samu75', 'S', 'samu:75', 'x', 'now')`)).toThrow(
      /UNIQUE/,
    );
    db.exec(`INSERT INTO clients (client_id, user_id) VALUES ('client-1', 'u1')`);
    db.exec(`INSERT INTO mutation_results (client_id, mutation_id, status, version) VALUES ('client-1', 1, 'applied', 1)`);
    expect(() => db.exec(`INSERT INTO mutation_results (client_id, mutation_id, status) VALUES ('client-1', 1, 'rejected')`)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => db.exec(`INSERT INTO mutation_results (client_id, mutation_id, status) VALUES ('client-1', 2, 'lost')`)).toThrow(/CHECK/);
    expect(db.prepare('SELECT last_mutation_id AS n FROM clients').get()).toEqual({ n: 0 });
  } finally {
    db.close();
    t.cleanup();
  }
});
