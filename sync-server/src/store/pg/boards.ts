/**
 * Each board's PostgreSQL part, by board name: one line per board of `../../boards.ts` (the
 * store refuses to open when a board has none). A new board adds its `<board>/pgTx.ts` here.
 */
import { bedsPg } from '../../beds/pgTx';
import { eventLogPg } from '../../eventlog/pgTx';
import { stocksPg } from '../../stocks/pgTx';
import { transfersPg } from '../../transfers/pgTx';
import type { PgBoardPart } from './board';

export const pgBoardParts: Readonly<Record<string, PgBoardPart>> = {
  eventlog: eventLogPg,
  beds: bedsPg,
  transfers: transfersPg,
  stocks: stocksPg,
};
