import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';
import { AuditLog } from '../store';
import { verifyChain } from '../chain';

it('migration 21 adds an empty, append-only audit trail to an existing database, its rows kept', () => {
  const t = tempDir();
  const { db } = serverDbAt(20, t.dir);
  try {
    db.exec(`INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES ('u1', 'samu75', 'SAMU', 'samu:75', 'x', 'now')`);
    migrate(db, SERVER_MIGRATIONS.slice(0, 21));
    expect(db.prepare(`SELECT count(*) AS n FROM audit_log`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM users`).get()).toEqual({ n: 1 });
    const log = new AuditLog(db);
    log.append({ kind: 'login', actorId: 'u1', actorName: 'SAMU', actorRole: 'samu:75', detail: { address: '127.0.0.1' } }, new Date());
    log.append({ kind: 'login', actorId: 'u1', actorName: 'SAMU', actorRole: 'samu:75', detail: { address: '127.0.0.1' } }, new Date());
    expect(() => db.exec(`UPDATE audit_log SET actor_name = 'x' WHERE seq = 1`)).toThrow(/append-only/);
    expect(() => db.exec(`DELETE FROM audit_log WHERE seq = 2`)).toThrow(/append-only/);
    expect(verifyChain(log.entries())).toMatchObject({ ok: true, count: 2 });
  } finally {
    db.close();
    t.cleanup();
  }
});
