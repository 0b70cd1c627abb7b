import { describe, expect, it } from 'vitest';
import { ALWAYS_SHOWN, COLUMN_WIDTH, optionalColumnsFor } from './gridLayout';

// The log pane's width at the sizes of the issue: 1366 − 200 − 300 (detail open), 1366 − 200 − 40 (folded), 1920 − 250 − 360.
const AT_1366_OPEN = 866;
const AT_1366_FOLDED = 1126;
const AT_1920_OPEN = 1310;

describe('message grid columns by width', () => {
  it('keeps the text, the time, the priority and the state on a 1366 screen, then the author first', () => {
    const shown = optionalColumnsFor(AT_1366_OPEN);
    expect([...shown]).toEqual(['author']);
    const used = [...ALWAYS_SHOWN, ...shown].reduce((sum, c) => sum + COLUMN_WIDTH[c], 0);
    expect(used).toBeLessThanOrEqual(AT_1366_OPEN);
  });

  it('gives the columns back as the detail folds, and shows them all at 1920', () => {
    expect([...optionalColumnsFor(AT_1366_FOLDED)]).toEqual(['author', 'kind', 'territory']);
    expect([...optionalColumnsFor(AT_1920_OPEN)]).toEqual(['author', 'kind', 'territory', 'level']);
  });

  it('never hides the text: a very narrow grid shows no optional column', () => {
    expect(optionalColumnsFor(500).size).toBe(0);
    expect(ALWAYS_SHOWN).toContain('body');
  });
});
