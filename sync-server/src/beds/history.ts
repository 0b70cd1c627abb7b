/**
 * `beds:history`: a unit's reports, newest first, for the history chart. Scoped like a pull:
 * the establishment must be on the user's branch (itself, its département's SAMU, its ARS,
 * national); otherwise `forbidden`, and nothing about the unit is read.
 */
import { z } from 'zod';
import { HistoryRequestSchema, type HistoryResult } from '../../../common/domain/beds/protocol';
import { unitType } from '../../../common/domain/beds/unitTypes';
import { describeZodError, type Actor } from '../../../common/engine/mutation';
import { fr } from '../../../common/i18n/fr';
import { sameBranch, type Territories } from '../../../common/territory';
import type { BedsStore } from './store';
import { DEFAULT_PULL_LIMIT, type Reply } from '../../../common/protocol';

const frenchIssues = z.locales.fr().localeError;

export async function unitHistory(store: BedsStore, territories: Territories, actor: Actor, raw: unknown): Promise<Reply<HistoryResult>> {
  const parsed = HistoryRequestSchema.safeParse(raw, { error: frenchIssues });
  if (!parsed.success) {
    return { error: { code: 'bad_request', message: fr.protocol.badPayload(describeZodError(parsed.error)) } };
  }
  const req = parsed.data;
  if (!unitType(req.unitType)) return { error: { code: 'bad_request', message: fr.beds.unknownUnitType(req.unitType) } };
  const key = `E:${req.finess}`;
  const path = territories.path(key);
  if (!path) return { error: { code: 'bad_request', message: fr.beds.unknownEstablishment(req.finess) } };
  if (!sameBranch(path, actor.territoryPath)) {
    return { error: { code: 'forbidden', message: fr.reject.territoryOutOfScope(territories.label(key)) } };
  }
  const reports = await store.unitHistory(req.finess, req.unitId ?? req.unitType, req.since, req.limit ?? DEFAULT_PULL_LIMIT);
  return { data: { reports } };
}
