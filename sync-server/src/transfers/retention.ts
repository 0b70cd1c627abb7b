/**
 * The clinical summaries' retention (issue 10): a finished transfer's summary is erased
 * `retentionDays` after the transfer arrived or was cancelled. Run by the server once at start
 * and then hourly (`app.ts`), or once by the operator (`--purge-summaries`). Each batch is one
 * transaction with its audit entry; the tombstones are poked to the parties' sockets after
 * commit, so a connected party's cache drops the text at once, the others on their next pull.
 */
import { DEFAULT_SUMMARY_RETENTION_DAYS } from '../../../common/domain/transfers/model';
import { fr } from '../../../common/i18n/fr';
import type { AuditInput } from '../audit/store';
import type { ScopedChange } from '../store/types';
import type { TransfersStore } from './store';

export { DEFAULT_SUMMARY_RETENTION_DAYS };

/** The longest delay accepted (ten years): beyond, a typo rather than a decision. */
export const MAX_SUMMARY_RETENTION_DAYS = 3650;
/** Summaries erased per transaction (and per audit entry). */
export const SUMMARY_PURGE_BATCH = 500;
/** How often the running server purges. */
export const SUMMARY_PURGE_EVERY_MS = 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The server's own timer, as the audit trail names it. */
export const RETENTION_ACTOR: Pick<AuditInput, 'actorId' | 'actorName' | 'actorRole'> = { actorId: null, actorName: fr.transfers.retentionBy, actorRole: 'server' };

export interface SummaryPurgeRun {
  retentionDays: number;
  now: Date;
  actor: Pick<AuditInput, 'actorId' | 'actorName' | 'actorRole'>;
  /** Announces each committed batch's tombstones (the running server); the command line has no sockets. */
  poke?: (changes: ScopedChange[]) => void;
  batchSize?: number;
}

/** Throws a French error unless `days` is a whole number of days from 0 to `MAX_SUMMARY_RETENTION_DAYS`. */
export function checkRetentionDays(days: number): number {
  if (!Number.isInteger(days) || days < 0 || days > MAX_SUMMARY_RETENTION_DAYS) throw new Error(fr.transfers.badRetentionDays(String(days), MAX_SUMMARY_RETENTION_DAYS));
  return days;
}

/** Erases every summary due at `now`, batch after batch; returns the transfers whose summary was erased. */
export async function purgeExpiredSummaries(own: TransfersStore, run: SummaryPurgeRun): Promise<string[]> {
  const days = checkRetentionDays(run.retentionDays);
  const limit = run.batchSize ?? SUMMARY_PURGE_BATCH;
  const finishedBefore = new Date(run.now.getTime() - days * DAY_MS);
  const purged: string[] = [];
  for (;;) {
    const batch = await own.purgeExpiredSummaries({ finishedBefore, now: run.now, limit, audit: { ...run.actor, retentionDays: days } });
    if (batch.changes.length > 0) run.poke?.(batch.changes);
    purged.push(...batch.transferIds);
    if (batch.transferIds.length < limit) return purged;
  }
}
