/**
 * A message written offline and delivered late, as the receiving side sees it, all real: a
 * SAMU 75 outbox comes back after 40 minutes and pushes an urgent message with the time it
 * was written (a raw Socket.IO client, as a workstation's sync does); the ARS Île-de-France
 * workstation in Chromium announces it naming the author's post and marks it late in the
 * banner, the log and the detail.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { io } from 'socket.io-client';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { freePort, type StartedProcess } from './support/processes';
import { DEMO_PASSWORD, gridRow, login, selectEvent, shot, startSyncServer, startWebHost } from './support/vigie';

let workDir = '';
let server: StartedProcess | null = null;
let host: StartedProcess | null = null;

test.beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-late-'));
  server = await startSyncServer(await freePort(), join(workDir, 'server.sqlite'));
  host = await startWebHost('ars-idf', server.readyValue, join(workDir, 'ars'));
});
test.afterAll(async () => {
  await host?.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('an urgent message written offline 40 minutes ago is announced, and marked late where it is read (1366×768)', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' })).newPage();
  await login(page, host!.readyValue, 'ars-idf');
  await selectEvent(page, 'Covid-19 — vague 1');

  const res = await fetch(new URL('/api/login', server!.readyValue), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'samu75', password: DEMO_PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  const clientId = `late-samu75-${randomUUID().slice(0, 8)}`;
  const socket = io(server!.readyValue, { auth: { token, clientId }, transports: ['websocket'], reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const body = 'Tunnel A86 : trois blessés graves, renfort SMUR demandé';
    const reply = (await socket.timeout(10_000).emitWithAck('sync:push', {
      clientId,
      mutations: [
        {
          clientId,
          mutationId: 1,
          name: 'message.post',
          args: { id: randomUUID(), eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'urgent', body },
          at: new Date(Date.now() - 40 * 60_000).toISOString(),
        },
      ],
    })) as { data?: { results: Array<{ status: string }> } };
    expect(reply.data?.results[0].status).toBe('applied');

    const banner = page.getByTestId('urgent-banner');
    await expect(banner).toContainText('SAMU 75');
    await expect(banner.getByTestId('urgent-late')).toContainText(/^Écrit hors ligne à (\d\d\/\d\d )?\d\d:\d\d, reçu à (\d\d\/\d\d )?\d\d:\d\d$/);
    const row = gridRow(page, body);
    await expect(row.locator('[data-badge="late"]')).toHaveText('Arrivé en retard');
    await expect(row.locator('[data-badge="late"]')).toHaveAttribute('title', /Écrit hors ligne à/);
    await row.click();
    await expect(page.getByTestId('detail-late')).toContainText('Écrit hors ligne à');
    await shot(page, 'eventlog-late-message-1366');
  } finally {
    socket.disconnect();
  }
});
