/**
 * Server migration 15: a transfer's clinical summary becomes a row of its own, seen by the
 * transfer's parties only (`transferSummary`, scoped to their private paths `/~E:…/`,
 * `/~D:…/`). Each non-empty summary moves out of its transfer's JSON into
 * `transfer_summaries` and is logged to its parties at new versions (every client's cursor
 * is below them, so the parties' next pull brings it); the summary is removed from the
 * transfers' JSON and from every transfer row of the change log, so no pull from any cursor
 * carries it to an ARS or the national cell again.
 *
 * The parties are computed as `summaryParties` does, without the referential: the requesting
 * SAMU is in the transfer, the destination's département is read off the path its branch
 * was logged under (`/FR/R:11/D:92/E:<dest>/`).
 */
import type { ServerMigration } from '../../store/migrations';

interface TransferRow {
  id: string;
  data: string;
}

interface OldTransfer {
  id: string;
  summary?: unknown;
  originFiness: string;
  samu: string;
  destFiness: string | null;
  createdAt: string;
  createdBy: string;
}

export const m015TransferSummaries: ServerMigration = {
  version: 15,
  name: 'transfer summaries for the parties only',
  up(db) {
    db.exec(`
      CREATE TABLE transfer_summaries (
        transfer_id TEXT PRIMARY KEY REFERENCES transfers(id),
        data        TEXT NOT NULL CHECK (json_valid(data)),
        version     INTEGER NOT NULL,
        scope_path  TEXT NOT NULL
      );
    `);
    const rows = db.prepare<[], TransferRow>(`SELECT id, data FROM transfers WHERE coalesce(json_extract(data, '$.summary'), '') <> '' ORDER BY rowid`).all();
    if (rows.length > 0) {
      const destPath = db.prepare<[string, string], { scope_path: string }>(
        `SELECT scope_path FROM change_log WHERE entity = 'transfer' AND entity_id = ? AND scope_path LIKE ? ESCAPE '\\' LIMIT 1`,
      );
      const append = db.prepare<[number, string, string, string, string]>(
        `INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at, latest_only) VALUES (?, 'transferSummary', ?, ?, ?, ?, 0)`,
      );
      const insert = db.prepare<[string, string, number, string]>(`INSERT INTO transfer_summaries (transfer_id, data, version, scope_path) VALUES (?, ?, ?, ?)`);
      let version = (db.prepare<[], { v: number }>(`SELECT coalesce(max(version), 0) AS v FROM change_log`).get()?.v ?? 0);
      const at = new Date().toISOString();
      for (const r of rows) {
        const t = JSON.parse(r.data) as OldTransfer;
        const parties = [`E:${t.originFiness}`, t.samu];
        if (t.destFiness) {
          parties.push(`E:${t.destFiness}`);
          const found = destPath.get(t.id, `%/E:${t.destFiness.replace(/[\\%_]/g, '\\$&')}/`)?.scope_path;
          const dep = found ? /\/D:([^/]+)\//.exec(found)?.[1] : undefined;
          if (dep) parties.push(`D:${dep}`);
        }
        const distinct = [...new Set(parties)];
        const first = version + 1;
        version += distinct.length;
        const row = { transferId: t.id, summary: String(t.summary), parties: distinct, updatedAt: t.createdAt, updatedBy: t.createdBy, version };
        const payload = JSON.stringify(row);
        distinct.forEach((key, i) => append.run(first + i, t.id, `/~${key}/`, payload, at));
        insert.run(t.id, payload, version, `/~${distinct[0]}/`);
      }
    }
    db.exec(`
      UPDATE transfers SET data = json_remove(data, '$.summary') WHERE json_type(data, '$.summary') IS NOT NULL;
      UPDATE change_log SET payload = json_remove(payload, '$.summary') WHERE entity = 'transfer' AND json_type(payload, '$.summary') IS NOT NULL;
    `);
  },
};
