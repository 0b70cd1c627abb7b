/**
 * The main courante at the workstation (issue 7), all real: a sync server on a loopback port
 * with its own SQLite file, web hosts for ARS Île-de-France and SAMU 75 (their own data
 * directories), the built renderer in Debian's Chromium at the sizes managed workstations
 * have (1366×768) and control-room screens (1920×1080).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { measureContrast } from './support/contrast';
import { freePort, type StartedProcess } from './support/processes';
import { gridRow, login, shot, startSyncServer, startWebHost } from './support/vigie';

test.describe.configure({ mode: 'serial' });

const VIEWPORTS = {
  '1366': { width: 1366, height: 768 },
  '1920': { width: 1920, height: 1080 },
} as const;
type Size = keyof typeof VIEWPORTS;

let workDir = '';
let server: StartedProcess | null = null;
const hosts: StartedProcess[] = [];
let arsHost: StartedProcess;
let samuHost: StartedProcess;
const pages: Page[] = [];

test.beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'vigie-e2e-ws-'));
  server = await startSyncServer(await freePort(), join(workDir, 'server.sqlite'));
  arsHost = await startWebHost('ARS IdF', server.readyValue, join(workDir, 'poste-ars'));
  hosts.push(arsHost);
  samuHost = await startWebHost('SAMU 75', server.readyValue, join(workDir, 'poste-samu75'));
  hosts.push(samuHost);
});

test.afterAll(async () => {
  for (const p of pages) await p.context().close();
  for (const h of hosts) await h.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    for (const p of [server, ...hosts]) if (p) await testInfo.attach(`${p.name} output`, { body: p.output(), contentType: 'text/plain' });
  }
});

/** A signed-in page of its own (own browser context) at a workstation size. */
async function openAs(browser: Browser, host: StartedProcess, username: string, size: Size): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORTS[size] });
  const page = await context.newPage();
  pages.push(page);
  await login(page, host.readyValue, username);
  return page;
}

test('the URGENT badge reads at 4.5:1 at least, and figures are never under 12 px', async ({ browser }) => {
  const ars = await openAs(browser, arsHost, 'ars-idf', '1920');
  // The demo's urgent message from the Pitié-Salpêtrière.
  const row = gridRow(ars, 'Réanimation médicale saturée');
  await expect(row).toBeVisible();
  const badge = row.locator('.badge-prio-urgent');
  await expect(badge).toHaveText(/urgent/i);
  const c = await measureContrast(badge);
  expect(c.ratio, `URGENT badge ${JSON.stringify(c)}`).toBeGreaterThanOrEqual(4.5);

  // Figures: the acknowledgement counts, the event's message count, the composer's character count.
  const consigne = gridRow(ars, 'Déclenchement du plan blanc');
  for (const figure of [
    consigne.locator('[data-badge="acks"]'),
    ars.getByTestId('event-item').first().locator('.event-count'),
    ars.locator('.composer-chars'),
  ]) {
    await expect(figure).toBeVisible();
    expect((await measureContrast(figure)).fontSizePx).toBeGreaterThanOrEqual(12);
  }
  await ars.context().close();
});
