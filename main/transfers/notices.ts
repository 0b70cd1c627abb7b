/**
 * Notices that come from the clock, not from a change (issue 8): a proposal left unanswered
 * longer than this workstation's delay is told to the requesting SAMU; a hold that lapsed
 * before the patient arrived is told to the requesting SAMU and to the destination. Nothing
 * on the server moves when a delay passes, so each workstation checks its own cache (every
 * 30 s and after each sync, `main/boards.ts`) and tells each event once: what it told is
 * kept in the cache's meta, so a restart does not tell it again.
 *
 * `dueNotices` is pure (the clock is an argument); `checkTransferNotices` reads the cache,
 * emits what was not told yet and records it.
 */
import { type TransferNotice, type TransferSettings } from '../../common/domain/transfers/api';
import { parisTime } from '../../common/domain/transfers/journal';
import type { BedHold, Transfer, TransferState } from '../../common/domain/transfers/model';
import { fr } from '../../common/i18n/fr';
import { parseRole, type Role } from '../../common/territory';
import type { AnnounceContext } from '../board';
import type { LocalStore } from '../store/localStore';
import { TransfersQueries } from './queries';

/** A notice and the event it tells (its key is what makes it once per workstation). */
export interface DueNotice {
  key: string;
  notice: TransferNotice;
}

/** States in which a lapsed hold leaves the patient without a bed (before the arrival, not cancelled). */
const AWAITING_ARRIVAL: readonly TransferState[] = ['accepte', 'transport', 'en_route'];

/** When the transfer's current proposal was made (its last « proposé » step). */
function proposedAt(t: Transfer): string {
  for (let i = t.steps.length - 1; i >= 0; i--) if (t.steps[i].state === 'propose') return t.steps[i].at;
  return t.updatedAt;
}

/**
 * The clock notices due at `now` for a workstation of `role`, each with its event's key:
 * - `unanswered:<transfer>:<proposed at>`: a proposal waiting longer than
 *   `settings.unansweredAfterMinutes`, for the requesting SAMU (a new proposal after a
 *   refusal is a new event);
 * - `expired:<hold>`: an active hold whose `expiresAt` passed while its transfer waits for
 *   the arrival, for the requesting SAMU and the destination establishment.
 */
export function dueNotices(q: {
  transfers: readonly Transfer[];
  holds: readonly BedHold[];
  role: Role;
  now: number;
  settings: TransferSettings;
  labelOf(territory: string): string;
}): DueNotice[] {
  const out: DueNotice[] = [];
  const isSamuOf = (t: Transfer) => q.role.kind === 'samu' && `D:${q.role.dep}` === t.samu;
  const destName = (t: Transfer) => (t.destFiness ? q.labelOf(`E:${t.destFiness}`) : '');
  const delayMs = q.settings.unansweredAfterMinutes * 60_000;
  for (const t of q.transfers) {
    if (t.state !== 'propose' || !isSamuOf(t)) continue;
    const since = proposedAt(t);
    const waited = q.now - Date.parse(since);
    if (!(waited >= delayMs)) continue;
    out.push({
      key: `unanswered:${t.id}:${since}`,
      notice: { id: t.id, number: t.number, kind: 'unanswered', text: fr.transfers.notice.unanswered(t.number, destName(t), Math.floor(waited / 60_000)) },
    });
  }
  const byId = new Map(q.transfers.map((t) => [t.id, t]));
  const seen = new Set(q.holds.map((h) => h.id));
  // A hold outside this workstation's branch (the SAMU of a transfer to another département)
  // is read from its transfer, which carries its expiry; the transfer's state says whether it
  // is still active (a hold is released or arrived only by its transfer's own step).
  const holds: BedHold[] = [...q.holds];
  for (const t of q.transfers) {
    if (!t.holdId || !t.holdExpiresAt || seen.has(t.holdId) || !t.destFiness || !t.destUnitId) continue;
    holds.push({ id: t.holdId, transferId: t.id, finess: t.destFiness, unitId: t.destUnitId, unitType: t.destUnitType ?? '', state: 'active', placedAt: t.updatedAt, expiresAt: t.holdExpiresAt, endedAt: null, version: 0 });
  }
  for (const h of holds) {
    if (h.state !== 'active' || !(Date.parse(h.expiresAt) <= q.now)) continue;
    const t = byId.get(h.transferId);
    if (!t || t.holdId !== h.id || !AWAITING_ARRIVAL.includes(t.state)) continue;
    const isDestination = q.role.kind === 'establishment' && q.role.finess === h.finess;
    if (!isSamuOf(t) && !isDestination) continue;
    out.push({
      key: `expired:${h.id}`,
      notice: { id: t.id, number: t.number, kind: 'expired', text: fr.transfers.notice.expired(t.number, q.labelOf(`E:${h.finess}`), parisTime(h.expiresAt)) },
    });
  }
  return out;
}

/**
 * Emits the clock notices due at `now` that this cache has not told yet, and records them
 * (before emitting: a listener that throws does not make one told twice). Returns them.
 */
export function checkTransferNotices(engine: LocalStore, ctx: AnnounceContext, now: number): TransferNotice[] {
  const role = parseRole(ctx.roleText);
  if (!role || (role.kind !== 'samu' && role.kind !== 'establishment')) return [];
  const queries = new TransfersQueries(engine);
  const due = dueNotices({
    transfers: queries.listTransfers().map((r) => r.transfer),
    holds: queries.listHolds(),
    role,
    now,
    settings: queries.transferSettings(),
    labelOf: ctx.labelOf,
  });
  const told: TransferNotice[] = [];
  const at = new Date(now).toISOString();
  engine.db.transaction(() => {
    for (const d of due) {
      if (queries.noticeTold(d.key)) continue;
      queries.markNoticeTold(d.key, at);
      told.push(d.notice);
    }
  })();
  for (const n of told) ctx.emit('transfer.notice', n);
  return told;
}
