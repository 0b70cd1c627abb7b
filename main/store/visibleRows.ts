/**
 * What a cache's reader sees of a JSON-row entity: the server's rows with the pending ones
 * on top (each key's newest pending row, from the overlay `ov_<table>`). For the boards whose
 * tables hold `id` and `data` (transfers, stock redeployments, allocation rounds).
 */
import type { LocalStore } from './localStore';

/** Each key's newest pending row over the server's; `where` filters both tables alike. */
export function visibleData<R>(engine: LocalStore, table: string, where: string, params: unknown[]): Array<{ row: R; pending: boolean }> {
  const server = engine.stmt(`SELECT id, data FROM ${table} WHERE ${where}`).all(...params) as Array<{ id: string; data: string }>;
  const pending = engine.stmt(`SELECT id, data FROM ov_${table} WHERE ${where} ORDER BY mutation_id`).all(...params) as Array<{ id: string; data: string }>;
  const byId = new Map<string, { row: R; pending: boolean }>();
  for (const r of server) byId.set(r.id, { row: JSON.parse(r.data) as R, pending: false });
  for (const r of pending) byId.set(r.id, { row: JSON.parse(r.data) as R, pending: true });
  return [...byId.values()];
}
