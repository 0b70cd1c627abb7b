/**
 * The audit trail's hash chain, pure: the canonical form of an entry and its hash. Each
 * entry's hash is SHA-256 over the canonical serialisation of its fields followed by the
 * previous entry's hash, so changing, removing or reordering any stored entry breaks every
 * hash after it; `verifyChain` names the first entry that no longer matches.
 */
import { createHash } from 'node:crypto';
import type { AuditRow } from '../../../common/admin/api';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** A JSON value the audit trail stores (no `undefined`, no non-finite numbers). */
export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [key: string]: CanonicalValue | undefined };

/**
 * The canonical JSON text of a value: object keys sorted by code unit, no whitespace,
 * `undefined` members left out, strings and numbers as `JSON.stringify` writes them (the
 * subset of RFC 8785 the trail uses: strings, integers, booleans, null). Throws on a
 * non-finite number, which JSON cannot carry.
 */
export function canonicalJson(value: CanonicalValue): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`non-finite number in an audit entry: ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as CanonicalValue)}`).join(',')}}`;
}

/** The fields a hash covers: everything stored but the hash itself. */
export type HashedFields = Omit<AuditRow, 'hash'>;

/** SHA-256 (hex) of the entry's canonical form (its `detail` text verbatim), a newline and the previous hash. */
export function entryHash(e: HashedFields): string {
  const body = canonicalJson({
    seq: e.seq,
    at: e.at,
    kind: e.kind,
    actorId: e.actorId,
    actorName: e.actorName,
    actorRole: e.actorRole,
    subject: e.subject,
    detail: e.detail,
  });
  return createHash('sha256').update(body).update('\n').update(e.prevHash).digest('hex');
}

export type ChainVerdict =
  | { ok: true; count: number; head: string }
  /** `seq`: the first entry that does not hold; `reason` says which link broke. */
  | { ok: false; count: number; seq: number; reason: 'sequence' | 'previous_hash' | 'hash' };

/** Where a walk starts: the chain's beginning, or where a previous walk over its earlier entries ended (a store reading it by pages). */
export interface ChainStart {
  /** Entries already verified. */
  count: number;
  /** The hash of the last entry verified. */
  head: string;
}

/**
 * Walks entries in storage order. Each must follow the previous one (`seq` + 1), carry its
 * hash as `prevHash`, and hash to its own `hash`. Stops at the first that does not.
 * `from`: the verdict of the walk over the entries before these (default: the beginning).
 */
export function verifyChain(entries: Iterable<AuditRow>, from: ChainStart = { count: 0, head: GENESIS_HASH }): ChainVerdict {
  let prev = from.head;
  let expectedSeq = from.count + 1;
  let count = from.count;
  for (const e of entries) {
    if (e.seq !== expectedSeq) return { ok: false, count, seq: e.seq, reason: 'sequence' };
    if (e.prevHash !== prev) return { ok: false, count, seq: e.seq, reason: 'previous_hash' };
    if (entryHash(e) !== e.hash) return { ok: false, count, seq: e.seq, reason: 'hash' };
    prev = e.hash;
    expectedSeq++;
    count++;
  }
  return { ok: true, count, head: prev };
}
