import { describe, expect, it } from 'vitest';
import { emptyFilter, isFilterActive, toggled, toMessageFilter } from './filter';
import { MessageFilterSchema } from '../../../common/domain/eventlog/api';

describe('message filter', () => {
  it('sends no filter when nothing is chosen', () => {
    expect(toMessageFilter(emptyFilter)).toBeUndefined();
    expect(toMessageFilter({ ...emptyFilter, text: '   ' })).toBeUndefined();
    expect(isFilterActive(emptyFilter)).toBe(false);
  });

  it('keeps only the criteria set, with the text trimmed, in the shape main validates', () => {
    const f = toMessageFilter({ levels: ['local'], kinds: [], priorities: ['urgent', 'important'], territory: 'D:75', text: '  lits  ' });
    expect(f).toEqual({ levels: ['local'], priorities: ['urgent', 'important'], territory: 'D:75', text: 'lits' });
    expect(MessageFilterSchema.safeParse(f).success).toBe(true);
  });

  it('cuts an over-long search to what the contract accepts', () => {
    const f = toMessageFilter({ ...emptyFilter, text: 'x'.repeat(500) });
    expect(f?.text?.length).toBe(200);
    expect(MessageFilterSchema.safeParse(f).success).toBe(true);
  });

  it('toggles a chip on and off', () => {
    expect(toggled(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggled(['a', 'b'], 'a')).toEqual(['b']);
  });
});
