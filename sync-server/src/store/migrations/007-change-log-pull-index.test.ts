import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../migrations';
import { PULL_LOG_SQL } from '../sqliteStore';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 7 creates the pull index that leaves latest-only rows out, and the log pull walks it', () => {
  const t = tempDir();
  const { db } = serverDbAt(6, t.dir);
  try {
    migrate(db, SERVER_MIGRATIONS.slice(0, 7));
    const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'change_log_pull'`).get() as { sql: string }).sql;
    expect(sql).toMatch(/ON change_log\(version, scope_path\) WHERE latest_only = 0/);
    const params = { cursor: 0, upper: 10, limit: 5, a0: '/FR/', a1: '/FR/', a2: '/FR/', a3: '/FR/', p: '/~FR/', lo: '/FR/', hi: '/FR/\u{10FFFF}' };
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${PULL_LOG_SQL}`).all(params) as Array<{ detail: string }>).map((p) => p.detail).join(' | ');
    expect(plan).toMatch(/USING INDEX change_log_pull/);
  } finally {
    db.close();
    t.cleanup();
  }
});
