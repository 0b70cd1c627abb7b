import { describe, expect, it } from 'vitest';
import { awaitsMyAck, countToAck, emptyFilter, isFilterActive, toggled, toMessageFilter } from './filter';
import type { MessageView } from '../../../common/domain/eventlog/api';
import { MessageFilterSchema } from '../../../common/domain/eventlog/api';

describe('message filter', () => {
  it('sends no filter when nothing is chosen', () => {
    expect(toMessageFilter(emptyFilter)).toBeUndefined();
    expect(toMessageFilter({ ...emptyFilter, text: '   ' })).toBeUndefined();
    expect(isFilterActive(emptyFilter)).toBe(false);
  });

  it('keeps only the criteria set, with the text trimmed, in the shape main validates', () => {
    const f = toMessageFilter({ levels: ['local'], kinds: [], priorities: ['urgent', 'important'], territory: 'D:75', text: '  lits  ', toAck: false });
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

  it('« à accuser » is a filter of the view that main never receives', () => {
    const f = { ...emptyFilter, toAck: true };
    expect(isFilterActive(f)).toBe(true);
    expect(toMessageFilter(f)).toBeUndefined();
  });

  it('counts the consignes awaiting my acknowledgement: not given, not replaced', () => {
    const m = (p: Partial<MessageView>) => ({ canAck: true, ackedByMe: false, replacedBy: null, ...p }) as MessageView;
    const rows = [m({}), m({ ackedByMe: true }), m({ canAck: false }), m({ replacedBy: 'x' }), m({})];
    expect(rows.map(awaitsMyAck)).toEqual([true, false, false, false, true]);
    expect(countToAck(rows)).toBe(2);
  });
});
