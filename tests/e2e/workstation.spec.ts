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
import { gridRow, login, post, shot, startSyncServer, startWebHost } from './support/vigie';

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
  // A web host holds one session for every tab: a later page of the same host is already signed in.
  await page.goto(host.readyValue);
  const form = page.getByTestId('login-username');
  await expect(form.or(page.getByTestId('nav-eventlog'))).toBeVisible();
  if (await form.isVisible()) await login(page, host.readyValue, username);
  else await expect(page.getByTestId('user-identity')).toBeVisible();
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

/** The body cell of a message's row: the grid renders the text as the cell's value. */
function bodyCell(page: Page, text: string) {
  return gridRow(page, text).locator('[col-id="body"]');
}

/** The cell's box lies inside the viewport, and its text is not clipped (it reads whole). */
async function expectReadsWhole(page: Page, text: string): Promise<void> {
  const cell = bodyCell(page, text);
  await expect(cell).toBeVisible();
  const box = await cell.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) throw new Error('no box or viewport');
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `body cell ${JSON.stringify(box)} within ${viewport.width}`).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  expect(box.width).toBeGreaterThanOrEqual(240);
  const value = cell.locator('.ag-cell-value');
  await expect(value).toHaveText(text);
  const clip = await value.evaluate((el) => ({ h: el.scrollHeight - el.clientHeight, w: el.scrollWidth - el.clientWidth }));
  expect(clip, 'the text overflows its cell').toEqual({ h: 0, w: 0 });
}

// A demo message of 170 characters (four lines at most at 1366, three at 1920).
const DEMO_TEXT =
  'Ouverture de 120 lits de réanimation supplémentaires dans les établissements franciliens sous 48 h. Point de situation régional quotidien à 18 h en audioconférence.';

for (const size of ['1366', '1920'] as const) {
  test(`at ${size}, the message text is on screen, takes the free width and reads whole`, async ({ browser }) => {
    const ars = await openAs(browser, arsHost, 'ars-idf', size);
    await expectReadsWhole(ars, DEMO_TEXT);
    // The state (acknowledgements) stays in view too.
    await expect(gridRow(ars, 'Déclenchement du plan blanc').locator('[data-badge="acks"]')).toBeInViewport();
    await gridRow(ars, DEMO_TEXT).click();
    await shot(ars, `eventlog-${size}`);
    await ars.context().close();
  });
}

test('at 1366, the detail folds and unfolds from the keyboard, the log takes its width, the choice is kept', async ({ browser }) => {
  const ars = await openAs(browser, arsHost, 'ars-idf', '1366');
  const toggle = ars.getByTestId('detail-toggle');
  const widthBefore = (await bodyCell(ars, DEMO_TEXT).boundingBox())?.width ?? 0;
  await toggle.focus();
  await ars.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(ars.getByTestId('message-detail')).toBeHidden();
  // The columns hidden for want of room come back, the text still takes what is left.
  await expect(ars.locator('.ag-header-cell[col-id="territory"]')).toBeVisible();
  await expectReadsWhole(ars, DEMO_TEXT);
  expect((await bodyCell(ars, DEMO_TEXT).boundingBox())?.width ?? 0).toBeGreaterThan(widthBefore);
  await shot(ars, 'eventlog-detail-folded-1366');

  await ars.reload();
  await expect(ars.getByTestId('detail-toggle')).toHaveAttribute('aria-expanded', 'false');
  await ars.getByTestId('detail-toggle').focus();
  await ars.keyboard.press('Space');
  await expect(ars.getByTestId('detail-toggle')).toHaveAttribute('aria-expanded', 'true');
  await expect(ars.getByTestId('message-detail')).toBeVisible();
  await ars.context().close();
});

// ARS Bretagne has not acknowledged the demo's national consigne (ARS Île-de-France has).
test('from the keyboard: Alt+M goes to the composer from any board, « à accuser » counts and filters, Alt+A acknowledges the selected consigne', async ({ browser }) => {
  if (!server) throw new Error('no sync server');
  const bretagneHost = await startWebHost('ARS Bretagne', server.readyValue, join(workDir, 'poste-ars-bretagne'));
  hosts.push(bretagneHost);
  const ars = await openAs(browser, bretagneHost, 'ars-bretagne', '1366');
  const consigne = 'Déclenchement du plan blanc';
  const toAck = ars.getByTestId('filter-toack');
  // Two consignes wait for Bretagne: the plan blanc and the demo's national allocation round (cisatracurium).
  await expect(toAck).toHaveText('À accuser · 2');

  // Alt+M from the bed board: back to the main courante, the keyboard in the message text.
  await ars.keyboard.press('Alt+3');
  await expect(ars.getByTestId('nav-beds')).toHaveAttribute('aria-current', 'page');
  await ars.keyboard.press('Alt+m');
  await expect(ars.getByTestId('composer-body')).toBeFocused();

  // The filter keeps the consigne that waits for us, and only it.
  await toAck.click();
  await expect(toAck).toHaveAttribute('aria-pressed', 'true');
  await expect(ars.getByTestId('message-grid').locator('.ag-row')).toHaveCount(2);
  // Bretagne sees its own branch's acknowledgements only: none yet.
  await expect(gridRow(ars, consigne).locator('[data-badge="acks"]')).toHaveText(/0\/18/);
  await expect(ars.getByTestId('filter-count')).toHaveText('2 messages');

  // Nothing selected: Alt+A says what to do rather than acknowledging anything.
  await ars.keyboard.press('Alt+a');
  await expect(ars.getByTestId('message-detail')).toContainText('Sélectionnez d’abord la consigne à accuser');
  await gridRow(ars, consigne).click();
  await expect(ars.getByTestId('ack-button')).toContainText('Alt+A');
  await shot(ars, 'eventlog-toack-1366');
  await ars.keyboard.press('Alt+a');
  await expect(ars.getByTestId('message-detail')).toContainText('Réception accusée par votre territoire');
  await expect(toAck).toHaveText('À accuser · 1');
  await expect(gridRow(ars, consigne)).toHaveCount(0);

  await toAck.click();
  await expect(gridRow(ars, consigne).locator('[data-badge="acks"]')).toHaveText(/1\/18/);
  // Acknowledged already: a second Alt+A is refused with its reason.
  await gridRow(ars, consigne).click();
  await ars.keyboard.press('Alt+a');
  await expect(ars.getByTestId('message-detail')).toContainText('a déjà accusé réception');
  await ars.context().close();
});

/** True when two boxes share some area. */
function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('urgent messages: one banner that covers nothing, names the author\'s post, counts, closes all, and unopened ones stay marked after a reload', async ({ browser }) => {
  const samu = await openAs(browser, samuHost, 'samu75', '1366');
  // The detail pane shows a message with its buttons (SAMU 75 may correct its own request).
  await gridRow(samu, 'Recherche de 4 lits').click();
  await expect(samu.getByTestId('correct-button')).toBeVisible();

  const ars = await openAs(browser, arsHost, 'ars-idf', '1920');
  const bodies = ['Urgent 1 : afflux de victimes attendu à la Pitié', 'Urgent 2 : hélicoptère disponible à Necker', 'Urgent 3 : saturation du SMUR de Paris'];
  for (const body of bodies) await post(ars, { body, priority: 'urgent', territory: 'D:75' });

  const banner = samu.getByTestId('urgent-banner');
  await expect(banner).toHaveAttribute('data-count', '3');
  await expect(samu.getByTestId('urgent-count')).toHaveText('3 messages urgents non lus');
  // The author's post speaks, then its holder; the destination comes after.
  await expect(samu.getByTestId('urgent-from')).toHaveText('ARS Île-de-France · Sophie Lambert');
  await expect(banner).toContainText(bodies[2]);
  // One banner, and it covers neither the detail pane nor its buttons.
  await expect(samu.getByTestId('urgent-banner')).toHaveCount(1);
  const bannerBox = await banner.boundingBox();
  const detailBox = await samu.locator('.detail-pane').boundingBox();
  const buttonBox = await samu.getByTestId('correct-button').boundingBox();
  if (!bannerBox || !detailBox || !buttonBox) throw new Error('missing box');
  expect(overlaps(bannerBox, detailBox), 'banner over the detail pane').toBe(false);
  expect(overlaps(bannerBox, buttonBox), 'banner over the detail buttons').toBe(false);
  for (const body of bodies) await expect(gridRow(samu, body)).toHaveClass(/row-unread/);
  await shot(samu, 'eventlog-urgent-banner-1366');

  // A reload keeps what nobody opened, announced and marked.
  await samu.reload();
  await expect(samu.getByTestId('urgent-banner')).toHaveAttribute('data-count', '3');
  await expect(gridRow(samu, bodies[0])).toHaveClass(/row-unread/);

  // « Afficher » opens the newest: no longer marked nor announced.
  await samu.getByTestId('urgent-show').click();
  await expect(samu.getByTestId('message-detail-body')).toHaveText(bodies[2]);
  await expect(gridRow(samu, bodies[2])).not.toHaveClass(/row-unread/);
  await expect(samu.getByTestId('urgent-banner')).toHaveAttribute('data-count', '2');

  // « Tout fermer » ends the announcements; the two unopened messages stay marked, after a reload too.
  await samu.getByTestId('urgent-close-all').click();
  await expect(samu.getByTestId('urgent-banner')).toHaveCount(0);
  await samu.reload();
  await expect(gridRow(samu, bodies[0])).toHaveClass(/row-unread/);
  await expect(gridRow(samu, bodies[1])).toHaveClass(/row-unread/);
  await expect(samu.getByTestId('urgent-banner')).toHaveCount(0);
  await shot(samu, 'eventlog-urgent-unread-1366');
  // Opening one by hand reads it.
  await gridRow(samu, bodies[0]).click();
  await expect(gridRow(samu, bodies[0])).not.toHaveClass(/row-unread/);
  await samu.context().close();
  await ars.context().close();
});

test('the web host tells the truth: when its local service is gone, the status bar says so and a banner counts the time offline', async ({ browser }) => {
  if (!server) throw new Error('no sync server');
  const host = await startWebHost('éphémère', server.readyValue, join(workDir, 'poste-ephemere'));
  hosts.push(host);
  const page = await openAs(browser, host, 'ars-idf', '1366');
  const state = page.getByTestId('sync-state');
  await expect(state).toHaveAttribute('data-state', 'online');
  await expect(page.getByTestId('offline-banner')).toHaveCount(0);

  await host.stop();
  await expect(state).toHaveAttribute('data-state', 'offline');
  await expect(state).not.toContainText(/en ligne/i);
  await expect(page.getByTestId('sync-detail')).toContainText('Service local de Vigie injoignable');
  await expect(page.getByTestId('offline-banner')).toContainText(/Hors ligne depuis moins d’une minute · 0 en attente/);
  await shot(page, 'webhost-gone-1366');
  await page.context().close();
});
