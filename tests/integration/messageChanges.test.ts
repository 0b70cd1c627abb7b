import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/demo';
import { loginClient, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

let server: TestServer;
let clients: TestClient[] = [];
let tmp: { dir: string; cleanup(): void };

beforeEach(async () => {
  tmp = tempDir('msgchanges');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
});
afterEach(async () => {
  for (const c of clients) await c.close();
  clients = [];
  await server.close();
  tmp.cleanup();
});

describe('messages.changes: the main courante kept up to date live', () => {
  it('from 0 answers the whole filtered list; from its cursor only the message that arrived', async () => {
    const samu = await loginClient(join(tmp.dir, 'samu75'), server.url, 'samu75');
    const ars = await loginClient(join(tmp.dir, 'ars-idf'), server.url, 'ars-idf');
    clients.push(samu, ars);
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
