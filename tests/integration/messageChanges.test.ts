import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { serverPerTest, waitFor, waitSynced } from './harness';

const env = serverPerTest('msgchanges');

describe('messages.changes: the main courante kept up to date live', () => {
  it('from 0 answers the whole filtered list; from its cursor only the message that arrived', async () => {
    const samu = await env.client('samu75');
    const ars = await env.client('ars-idf');
    await waitSynced(samu);
    await waitSynced(ars);
    const filter = { priorities: ['urgent' as const] };

    const first = await ars.call('messages.changes', { eventId: DEMO_IDS.event, filter, since: 0 });
    expect(first.full).toBe(true);
    expect(first.messages).toEqual(await ars.call('messages.list', { eventId: DEMO_IDS.event, filter }));
    expect(await ars.call('messages.changes', { eventId: DEMO_IDS.event, filter, since: first.cursor })).toEqual({
      full: false,
      messages: [],
      removed: [],
      cursor: first.cursor,
    });

    const receipt = await samu.call('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'urgent', body: 'Afflux aux urgences' });
    await waitFor(() => ars.eventsOf('message.urgent').find((u) => u.id === receipt.id), 'the urgent notice at ARS');
    const next = await ars.call('messages.changes', { eventId: DEMO_IDS.event, filter, since: first.cursor });
    expect(next.full).toBe(false);
    expect(next.removed).toEqual([]);
    expect(next.messages.map((m) => [m.id, m.body, m.pending])).toEqual([[receipt.id, 'Afflux aux urgences', false]]);
    expect(next.cursor).toBeGreaterThan(first.cursor);
  });
});
