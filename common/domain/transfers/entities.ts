/**
 * The transfers board's synced rows. A transfer is seen by the branches of its origin and
 * of its destination establishment (their SAMU, ARS and the national cell above them), and
 * by no one else: it is logged once per branch. Its clinical summary is seen by its parties
 * only: it is logged once per party, to each one's private scope. A hold carries no patient
 * data and is seen by everyone who sees its unit.
 */
import { defineEntity } from '../../engine/entity';
import { privateScope } from '../../territory';
import type { BedHold, Operation, Transfer, TransferSummary } from './model';

export const transferEntity = defineEntity<Transfer>()('transfer', {
  key: (t) => t.id,
  scope: (t) => (t.destFiness && t.destFiness !== t.originFiness ? [`E:${t.originFiness}`, `E:${t.destFiness}`] : `E:${t.originFiness}`),
  pull: 'log',
});

/** Scoped to each party's private scope (`~E:<finess>`, `~D:<dep>`): no ancestor of a party receives it. */
export const transferSummaryEntity = defineEntity<TransferSummary>()('transferSummary', {
  key: (s) => s.transferId,
  scope: (s) => s.parties.map(privateScope),
  pull: 'log',
});

export const holdEntity = defineEntity<BedHold>()('hold', {
  key: (h) => h.id,
  scope: (h) => `E:${h.finess}`,
  pull: 'log',
});

/** A mass evacuation: transfer ids, vehicle and schedule, no patient data; seen by everyone (a timetable). */
export const operationEntity = defineEntity<Operation>()('operation', {
  key: (o) => o.id,
  scope: () => 'FR',
  pull: 'log',
});

export const transferEntities = [transferEntity, transferSummaryEntity, holdEntity, operationEntity] as const;
