/**
 * Entities: the rows the sync engine carries, declared once by their board and known to
 * the engine only through that declaration.
 *
 * An entity says what every process's engine needs to carry its rows: its name on the wire,
 * the key of a row (the change log's `entity_id`), the territory a row is scoped to (who may
 * see it), and how pulls deliver it:
 * - `log`: every change is delivered (append-only rows, rows whose every state matters);
 * - `latest`: only the latest row per key is delivered, once (a time series of which a
 *   client needs the current state; the history is asked for on demand).
 */
import type { TerritoryKey } from '../territory';

/** Every synced row carries the change-log version that wrote it (0 before the server stamps it). */
export interface VersionedRow {
  version: number;
}

export type PullMode = 'log' | 'latest';

export interface EntityDef<N extends string = string, R extends VersionedRow = VersionedRow> {
  readonly name: N;
  /** The row's identity, as the change log records it. */
  key(row: R): string;
  /**
   * The territory whose branch may see the row, or several (a row two branches must see,
   * such as a transfer between two regions: the change log carries it once per branch).
   * A `latest` entity has one territory per row.
   */
  scope(row: R): TerritoryKey | readonly TerritoryKey[];
  readonly pull: PullMode;
  /** Phantom: the row type, for the types derived from the registry. */
  readonly row?: R;
}

/** Declares an entity; `defineEntity<Message>()('message', {...})` keeps the name literal. */
export function defineEntity<R extends VersionedRow>() {
  return <N extends string>(name: N, spec: Omit<EntityDef<N, R>, 'name' | 'row'>): EntityDef<N, R> => ({ name, ...spec });
}

export type RowOf<E> = E extends EntityDef<string, infer R> ? R : never;

/** One change-log row as a client in scope receives it, for each entity of `E` (a union of entity defs). */
export type ChangeOf<E extends EntityDef> = E extends EntityDef<infer N, infer R> ? { version: number; entity: N; data: R } : never;
