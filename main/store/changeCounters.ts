/**
 * The change counters of the client cache, moved by the engine (never by triggers): keys
 * collected while a transaction writes or removes rows, written at its end with one counter
 * value per transaction; server rows of entities that declare a `stamp` column carry that
 * value themselves. A counter's current value is the highest of its table and of those
 * columns. See `ChangeCounter` in cacheEntity.ts.
 */
import type { CacheEntity, ChangeCounter, Stmt } from './cacheEntity';
import type { Db } from './db';

export class ChangeCounters {
  private readonly pending = new Map<string, { counter: ChangeCounter; keys: Map<string, readonly unknown[]> }>();
  /** The value of the transaction in progress, per counter table. */
  private readonly txSeq = new Map<string, number>();
  private readonly values = new Map<string, Stmt>();

  constructor(
    private readonly db: Db,
    entities: Iterable<CacheEntity>,
    private readonly stmt: (sql: string) => Stmt,
  ) {
    const sources = new Map<string, string[]>();
    for (const def of entities) {
      const c = def.counter;
      if (!c) continue;
      const list = sources.get(c.counter.table) ?? [`SELECT max(seq) AS m FROM ${c.counter.table}`];
      if (c.stamp) list.push(`SELECT max(${c.stamp}) AS m FROM ${def.table}`);
      sources.set(c.counter.table, list);
    }
    for (const [table, list] of sources) {
      this.values.set(table, this.db.prepare<unknown[], unknown>(`SELECT coalesce(max(m), 0) AS n FROM (${list.join(' UNION ALL ')})`));
    }
  }

  /** A counter's current value: the last change any of its keys had (0 before any). */
  value(counter: ChangeCounter): number {
    const st = this.values.get(counter.table);
    if (!st) throw new Error(`no entity moves the counter ${counter.table}`);
    return (st.get() as { n: number }).n;
  }

  /** The value this transaction writes into a counter: one per transaction, above every earlier one. */
  seqFor(counter: ChangeCounter): number {
    let seq = this.txSeq.get(counter.table);
    if (seq === undefined) {
      seq = this.value(counter) + 1;
      this.txSeq.set(counter.table, seq);
    }
    return seq;
  }

  /**
   * Fixes every counter's value for this transaction now, before rows carrying a stamp are
   * deleted (a rebuild): a counter never goes back, so a view's cursor stays meaningful.
   */
  reserveAll(): void {
    for (const [table, st] of this.values) {
      if (!this.txSeq.has(table)) this.txSeq.set(table, (st.get() as { n: number }).n + 1);
    }
  }

  /** A key moves (a key with a null part, such as a message that replaces nothing, is no key). */
  add(counter: ChangeCounter, key: readonly unknown[]): void {
    for (const v of key) if (v === null || v === undefined) return;
    let entry = this.pending.get(counter.table);
    if (!entry) this.pending.set(counter.table, (entry = { counter, keys: new Map() }));
    entry.keys.set(key.length === 1 ? String(key[0]) : key.join('\u0000'), key);
  }

  /** Keys read off pending rows returned in raw mode: one group of the entity's overlay columns per key. */
  addRows(def: CacheEntity, rows: readonly unknown[][]): void {
    const c = def.counter;
    if (!c) return;
    for (const row of rows) {
      let at = 0;
      for (const group of c.overlayColumns) {
        this.add(c.counter, row.slice(at, at + group.length));
        at += group.length;
      }
    }
  }

  /** Writes the collected keys (one statement per counter) and ends the transaction's values. Call last in every engine transaction that writes. */
  flush(): void {
    for (const { counter, keys } of this.pending.values()) {
      if (keys.size === 0) continue;
      const cols = counter.keyColumns.join(', ');
      this.stmt(
        `INSERT INTO ${counter.table} (${cols}, seq)
         SELECT ${counter.keyColumns.map((_, i) => `j.value ->> ${i}`).join(', ')}, ? FROM json_each(?) AS j WHERE true
         ON CONFLICT (${cols}) DO UPDATE SET seq = excluded.seq`,
      ).run(this.seqFor(counter), JSON.stringify([...keys.values()]));
    }
    this.discard();
  }

  /** Forgets what a transaction collected (it rolled back, or it starts). */
  discard(): void {
    this.pending.clear();
    this.txSeq.clear();
  }
}
