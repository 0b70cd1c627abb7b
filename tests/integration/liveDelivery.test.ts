import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { serverPerTest, waitFor, waitSynced } from './harness';

const env = serverPerTest('live');

describe('live delivery between two users', () => {
  it('a message SAMU 75 posts reaches ARS Île-de-France through a poke, with an urgent notice', async () => {
    const samu = await env.client('samu75');
    const ars = await env.client('ars-idf');
    await waitSynced(samu);
    await waitSynced(ars);
    // Both pulled the seeded event.
    expect((await ars.call('events.list', {})).map((e) => e.id)).toContain(DEMO_IDS.event);

    const receipt = await samu.call('messages.post', {
      eventId: DEMO_IDS.event,
      territory: 'D:75',
      kind: 'information',
      priority: 'urgent',
      body: 'Afflux massif de victimes gare de Lyon',
    });
    expect(receipt.id).toBeDefined();
    // Visible at once on the author's side, pending until the server confirms.
    const mine = (await samu.call('messages.list', { eventId: DEMO_IDS.event })).find((m) => m.id === receipt.id);
    expect(mine?.body).toBe('Afflux massif de victimes gare de Lyon');

    const urgent = await waitFor(() => ars.eventsOf('message.urgent').find((u) => u.id === receipt.id), 'the urgent notice at ARS');
    expect(urgent).toMatchObject({ eventId: DEMO_IDS.event, authorName: 'Dr Marc Dubois', territoryLabel: 'SAMU 75 — Paris' });
    const seen = (await ars.call('messages.list', { eventId: DEMO_IDS.event })).find((m) => m.id === receipt.id);
    expect(seen).toMatchObject({ pending: false, authorRole: 'samu:75', level: 'local' });
    // The author never notifies themself.
    expect(samu.eventsOf('message.urgent').some((u) => u.id === receipt.id)).toBe(false);
    await waitSynced(samu);
    const after = (await samu.call('messages.list', { eventId: DEMO_IDS.event })).find((m) => m.id === receipt.id);
    expect(after?.pending).toBe(false);
  });
});
