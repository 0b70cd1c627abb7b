/**
 * `stocks:history`: an establishment's stock lines, latest count first. Scoped like a pull:
 * the establishment must be on the user's branch (itself, its SAMU, its ARS, national);
 * otherwise `forbidden`, and nothing about it is read.
 */
import { z } from 'zod';
import { StockHistoryRequestSchema, type StockHistoryResult } from '../../../common/domain/stocks/protocol';
import { describeZodError, type Actor } from '../../../common/engine/mutation';
import { fr } from '../../../common/i18n/fr';
import { sameBranch, type Territories } from '../../../common/territory';
import { DEFAULT_PULL_LIMIT, type Reply } from '../../../common/protocol';
import type { StocksStore } from './store';

const frenchIssues = z.locales.fr().localeError;

export async function stockHistory(store: StocksStore, territories: Territories, actor: Actor, raw: unknown): Promise<Reply<StockHistoryResult>> {
  const parsed = StockHistoryRequestSchema.safeParse(raw, { error: frenchIssues });
  if (!parsed.success) return { error: { code: 'bad_request', message: fr.protocol.badPayload(describeZodError(parsed.error)) } };
  const req = parsed.data;
  const key = `E:${req.finess}`;
  const path = territories.path(key);
  if (!path) return { error: { code: 'bad_request', message: fr.stocks.unknownEstablishment(req.finess) } };
  if (!sameBranch(path, actor.territoryPath)) return { error: { code: 'forbidden', message: fr.reject.territoryOutOfScope(territories.label(key)) } };
  return { data: { lines: await store.establishmentHistory(req.finess, { cip13: req.cip13, molecule: req.molecule, since: req.since }, req.limit ?? DEFAULT_PULL_LIMIT) } };
}
