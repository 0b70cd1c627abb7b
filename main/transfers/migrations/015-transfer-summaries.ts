/**
 * Cache migration 15: a transfer's clinical summary becomes a row of its own, received by
 * the transfer's parties only (server migration 15). The cache cannot tell whether its user
 * is a party, so the summaries of the server's rows are removed from the transfers' JSON and
 * not kept: the server logs every summary to its parties again at versions above every
 * cursor, so a party's next pull brings it back, and no one else keeps it on disk. A pending
 * local transfer (this workstation's own request, not yet sent) keeps its summary, moved
 * into the pending summaries of the same mutation.
 */
import type { CacheMigration } from '../../store/migrations';

const SUMMARY = `
  transfer_id TEXT NOT NULL,
  data        TEXT NOT NULL,
  version     INTEGER NOT NULL`;

interface PendingTransfer {
  mutation_id: number;
  id: string;
  data: string;
}

export const m015TransferSummaries: CacheMigration = {
  version: 15,
  name: 'transfer summaries for the parties only',
  up(db) {
    db.exec(`
      CREATE TABLE transfer_summaries (${SUMMARY}, PRIMARY KEY (transfer_id)) STRICT;
      CREATE TABLE ov_transfer_summaries (mutation_id INTEGER NOT NULL, ${SUMMARY}) STRICT;
      CREATE INDEX ov_transfer_summaries_id ON ov_transfer_summaries(transfer_id);
      CREATE INDEX ov_transfer_summaries_mutation ON ov_transfer_summaries(mutation_id);
    `);
    const pending = db
      .prepare(`SELECT mutation_id, id, data FROM ov_transfers WHERE coalesce(json_extract(data, '$.summary'), '') <> '' ORDER BY mutation_id`)
      .all() as PendingTransfer[];
    const insert = db.prepare(`INSERT INTO ov_transfer_summaries (mutation_id, transfer_id, data, version) VALUES (?, ?, ?, 0)`);
    for (const p of pending) {
      const t = JSON.parse(p.data) as { summary: string; originFiness: string; samu: string; destFiness: string | null; createdAt: string; createdBy: string };
      // Pending: the server computes the parties again when it applies the mutation.
      const parties = [...new Set([`E:${t.originFiness}`, t.samu, ...(t.destFiness ? [`E:${t.destFiness}`] : [])])];
      const row = { transferId: p.id, summary: String(t.summary), parties, updatedAt: t.createdAt, updatedBy: t.createdBy, version: 0 };
      insert.run(p.mutation_id, p.id, JSON.stringify(row));
    }
    db.exec(`
      UPDATE transfers SET data = json_remove(data, '$.summary') WHERE json_type(data, '$.summary') IS NOT NULL;
      UPDATE ov_transfers SET data = json_remove(data, '$.summary') WHERE json_type(data, '$.summary') IS NOT NULL;
    `);
  },
};
