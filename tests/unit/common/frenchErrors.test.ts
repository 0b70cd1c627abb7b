/**
 * No validation message a person can read is in English (issue 10: a client written from
 * the protocol alone collected 365 distinct English texts from zod). Every mutator's and
 * every ConsoleApi call's arguments, fed seeded garbage, are described in French.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { consoleCalls } from '../../../common/api';
import { mutators } from '../../../common/boards';
import { describeZodError } from '../../../common/engine/mutation';
import { PullRequestSchema, PushRequestSchema } from '../../../common/protocol';

/** Words of zod's English messages (« Invalid input: expected string, received number »…). */
const ENGLISH = /\b(Invalid|expected|received|Too (small|big)|Unrecognized|must|Required|characters|element|Expected)\b/;

/** Garbage for a schema: anything at the top, and its own keys with values of any type. */
function garbage(schema: z.ZodType): fc.Arbitrary<unknown> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  const keyed = shape ? fc.dictionary(fc.constantFrom(...Object.keys(shape), 'extra'), fc.anything({ maxDepth: 2 }), { maxKeys: 8 }) : fc.anything();
  return fc.oneof(fc.anything({ maxDepth: 2 }), keyed);
}

function checkFrench(name: string, schema: z.ZodType): number {
  let seen = 0;
  fc.assert(
    fc.property(garbage(schema), (value) => {
      const parsed = schema.safeParse(value);
      if (parsed.success) return;
      seen++;
      const text = describeZodError(parsed.error);
      expect(text, `${name} ← ${JSON.stringify(value)}`).not.toMatch(ENGLISH);
    }),
    { seed: 20_201_130, numRuns: 150 },
  );
  return seen;
}

describe('validation messages are French', () => {
  it('for every mutator’s arguments', () => {
    let refused = 0;
    for (const [name, def] of Object.entries(mutators)) refused += checkFrench(name, (def as { args: z.ZodType }).args);
    expect(refused).toBeGreaterThan(1000);
  });

  it('for every ConsoleApi call’s arguments', () => {
    let refused = 0;
    for (const [name, def] of Object.entries(consoleCalls)) refused += checkFrench(name, (def as { args: z.ZodType }).args);
    expect(refused).toBeGreaterThan(1000);
  });

  it('for the push and pull envelopes', () => {
    expect(checkFrench('sync:push', PushRequestSchema)).toBeGreaterThan(100);
    expect(checkFrench('sync:pull', PullRequestSchema)).toBeGreaterThan(100);
  });
});
