/**
 * `beds:history`: a unit's reports, newest first, for the history chart. Scoped like a pull:
 * the establishment must be on the user's branch (itself, its département's SAMU, its ARS,
 * national); otherwise `forbidden`, and nothing about the unit is read.
 */
import { z } from 'zod';
import type { Actor } from '../../../common/domain/mutation';
import { describeZodError } from '../../../common/domain/mutation';
import { unitType } from '../../../common/domain/unitTypes';
import { fr } from '../../../common/i18n/fr';
import { DEFAULT_PULL_LIMIT, HistoryRequestSchema, type HistoryResult, type Reply } from '../../../common/protocol';
import { sameBranch, type Territories } from '../../../common/territory';
import type { ServerStore } from '../store/types';

const frenchIssues = z.locales.fr().localeError;

export async function unitHistory(store: ServerStore, territories: Territories, actor: Actor, raw: unknown): Promise<Reply<HistoryResult>> {
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
  const reports = await store.unitHistory(req.finess, req.unitType, req.since, req.limit ?? DEFAULT_PULL_LIMIT);
  return { data: { reports } };
}
