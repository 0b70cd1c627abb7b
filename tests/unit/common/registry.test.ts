import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { consoleCalls, EVENT_NAMES, type CallName, type EventName } from '../../../common/api';
import { boards, ENTITY_NAMES, entities, MUTATION_NAMES, mutators } from '../../../common/boards';
import { mutatorsUsing, runMutatorOf, type MutationContext } from '../../../common/engine/mutation';
import { mergeDisjoint, uniqueNames } from '../../../common/engine/registry';
import type { Change, ClientToServerEvents } from '../../../common/protocol';
import { ctx } from '../../support/memoryTx';

describe('the boards registry', () => {
  it('lists each board once, and every mutator, entity and call under one name only', () => {
    expect(boards.map((b) => b.name)).toEqual(['eventlog', 'beds', 'transfers', 'stocks']);
    const mutationNames = boards.flatMap((b) => Object.keys(b.mutators));
    expect(new Set(mutationNames).size).toBe(mutationNames.length);
    expect([...MUTATION_NAMES].sort()).toEqual([...mutationNames].sort());
    expect([...ENTITY_NAMES]).toEqual(['event', 'message', 'ack', 'roomPost', 'roomShift', 'unit', 'transfer', 'transferSummary', 'hold', 'operation', 'stockLine', 'redeployment', 'allocationRound', 'allocationLine']);
    const callNames = Object.keys(consoleCalls);
    for (const b of boards) for (const name of Object.keys(b.calls)) expect(callNames).toContain(name);
    expect(EVENT_NAMES).toEqual(expect.arrayContaining(['sync.status', 'data.changed', 'mutation.rejected', 'message.urgent']));
  });

  it('gives every mutator a zod validator and slices that are boards, its own among them', () => {
    const names = new Set<string>(boards.map((b) => b.name));
    for (const b of boards) {
      for (const [name, def] of Object.entries(b.mutators)) {
        expect(def.args, name).toBeInstanceOf(z.ZodType);
        expect(def.slices.length, name).toBeGreaterThan(0);
        for (const s of def.slices) expect(names.has(s), `${name} uses slice ${s}`).toBe(true);
        expect(def.slices, name).toContain(b.name);
      }
    }
  });

  it('gives every entity a key and a territory for a row, and a pull mode', () => {
    for (const e of entities) {
      expect(['log', 'latest']).toContain(e.pull);
      expect(typeof e.key).toBe('function');
      expect(typeof e.scope).toBe('function');
    }
    const unit = entities.find((e) => e.name === 'unit')!;
    expect(unit.scope({ finess: '750100125' } as never)).toBe('E:750100125');
  });

  it('derives the wire and ConsoleApi types from the boards', () => {
    expectTypeOf<Change['entity']>().toEqualTypeOf<'event' | 'message' | 'ack' | 'roomPost' | 'roomShift' | 'unit' | 'transfer' | 'transferSummary' | 'hold' | 'operation' | 'stockLine' | 'redeployment' | 'allocationRound' | 'allocationLine'>();
    expectTypeOf<Extract<Change, { entity: 'unit' }>['data']['finess']>().toEqualTypeOf<string>();
    expectTypeOf<'beds:history'>().toMatchTypeOf<keyof ClientToServerEvents>();
    expectTypeOf<'beds.changes' | 'messages.post' | 'session.login'>().toMatchTypeOf<CallName>();
    expectTypeOf<'message.urgent'>().toMatchTypeOf<EventName>();
    expect(Object.keys(mutators)).toHaveLength(MUTATION_NAMES.length);
  });

  it('refuses a name declared twice, saying which', () => {
    expect(() => mergeDisjoint('mutation', { 'a.do': 1 }, { 'b.do': 2 }, { 'a.do': 3 })).toThrow('mutation declared twice: a.do');
    expect(() => uniqueNames('entity', [{ name: 'unit' }, { name: 'unit' }])).toThrow('entity declared twice: unit');
  });
});

describe('transaction slices', () => {
  it('a mutator receives only the slices it declares, asked for by name', () => {
    type A = { count(): number };
    type B = { secret(): string };
    const asked: string[] = [];
    const seen: string[][] = [];
    const define = mutatorsUsing<{ a: A }>('a');
    const probe = {
      'thing.probe': define(z.strictObject({}), (tx) => {
        seen.push(Object.keys(tx));
        expect(tx.a.count()).toBe(1);
        expect((tx as unknown as { b?: B }).b).toBeUndefined();
      }),
    };
    const source = (slice: string): object => {
      asked.push(slice);
      return slice === 'a' ? { count: () => 1 } : { secret: () => 'x' };
    };
    const c: MutationContext = ctx('national');
    runMutatorOf(probe, source, 'thing.probe', {}, c);
    expect(asked).toEqual(['a']);
    expect(seen).toEqual([['a']]);
  });

  it('the real mutators ask only for their own board’s slice', () => {
    const askedBy = (name: string, args: unknown, role: string): string[] => {
      const asked: string[] = [];
      try {
        runMutatorOf(mutators, (s) => {
          asked.push(s);
          // Empty slices: the mutator refuses early, after asking.
          return new Proxy({}, { get: () => () => undefined });
        }, name, args, ctx(role));
      } catch {
        // refusals are expected: only the slices asked for matter here
      }
      return asked;
    };
    const id = '00000000-0000-4000-8000-000000000001';
    expect(askedBy('event.open', { id, title: 't', territory: 'FR' }, 'national')).toEqual(['eventlog']);
    expect(askedBy('unit.report', { id, finess: '750100125', unitType: 'REA_MED', installed: 1, staffed: 1, available: 1 }, 'establishment:750100125')).toEqual(['beds']);
  });
});
