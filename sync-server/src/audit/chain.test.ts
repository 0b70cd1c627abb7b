import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../../common/admin/api';
import { canonicalJson, entryHash, GENESIS_HASH, verifyChain } from './chain';

function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = {
      seq,
      at: `2026-11-30T04:0${seq}:00.000Z`,
      kind: 'mutation' as const,
      actorId: 'u1',
      actorName: 'Agent',
      actorRole: 'samu:75',
      subject: 'client-1',
      detail: canonicalJson({ mutationId: seq, name: 'message.post', result: 'applied' }),
      prevHash: prev,
    };
    const row = { ...fields, hash: entryHash(fields) };
    rows.push(row);
    prev = row.hash;
  }
  return rows;
}

describe('canonical form', () => {
  it('sorts keys at every depth, drops undefined members and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null, 'x'], c: undefined, b: 'é' } })).toBe('{"a":{"b":"é","d":[true,null,"x"]},"b":1}');
  });

  it('gives one text whatever the order the object was built in', () => {
    expect(canonicalJson({ x: 1, y: [1, 2], z: 'a' })).toBe(canonicalJson({ z: 'a', y: [1, 2], x: 1 }));
  });

  it('refuses a number JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/non-finite/);
  });
});

describe('hash chain', () => {
  it('a well-formed chain verifies, with its count and head', () => {
    const rows = chain(5);
    expect(verifyChain(rows)).toEqual({ ok: true, count: 5, head: rows[4].hash });
    expect(verifyChain([])).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
  });

  it('each hash depends on the previous one: the same entry after another history hashes differently', () => {
    const [first] = chain(1);
    expect(entryHash({ ...first, prevHash: 'f'.repeat(64) })).not.toBe(first.hash);
  });

  it('names a changed entry (its content no longer matches its hash)', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], detail: rows[2].detail.replace('applied', 'rejected') };
    expect(verifyChain(rows)).toEqual({ ok: false, count: 2, seq: 3, reason: 'hash' });
  });

  it('names an entry whose hash was recomputed after a change: the next one no longer links to it', () => {
    const rows = chain(5);
    const changed = { ...rows[1], actorName: 'Quelqu’un d’autre' };
    rows[1] = { ...changed, hash: entryHash(changed) };
    expect(verifyChain(rows)).toEqual({ ok: false, count: 2, seq: 3, reason: 'previous_hash' });
  });

  it('names the entry after a removed one, and a reordered pair', () => {
    const removed = chain(5);
    removed.splice(2, 1);
    expect(verifyChain(removed)).toMatchObject({ ok: false, seq: 4, reason: 'sequence' });
    const swapped = chain(5);
    [swapped[1], swapped[2]] = [swapped[2], swapped[1]];
    expect(verifyChain(swapped)).toMatchObject({ ok: false, seq: 3, reason: 'sequence' });
  });

  it('every field is covered: changing any one of them breaks the entry', () => {
    const fields = ['at', 'kind', 'actorId', 'actorName', 'actorRole', 'subject', 'detail'] as const;
    for (const f of fields) {
      const rows = chain(2);
      rows[0] = { ...rows[0], [f]: f === 'actorId' || f === 'subject' ? null : 'autre' };
      expect(verifyChain(rows), f).toMatchObject({ ok: false, seq: 1, reason: 'hash' });
    }
  });
});
