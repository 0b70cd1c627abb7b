/**
 * National allocation rounds across real processes: a real sync server (demo stocks, bed
 * board and the national event) and real clients (main-process services, each with its own
 * SQLite cache) talking through the ConsoleApi dispatch the UI uses. The national cell
 * proposes, adjusts and validates; each pharmacy receives its own line live (by poke) and not
 * the others'; the consigne is in every client's main courante; a confirmation reaches the
 * national cell.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { adjustAllocation } from '../../common/domain/stocks/allocation';
import { FAST_SYNC, loginClient, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

const PITIE = '750100125';
const BICHAT = '750100232';
const BREST = '290004324';
const PROPOFOL_50ML = '3400956100163';

/** A poke, not a pull, must bring a live change: these clients pull only a minute after one. */
const POKE_ONLY = { ...FAST_SYNC, pokePullDelayMs: 60_000 };

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let national: TestClient;
let pitie: TestClient;
let bichat: TestClient;
let brest: TestClient;
let arsBretagne: TestClient;

beforeAll(async () => {
  tmp = tempDir('stocks-allocation');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  national = await loginClient(join(tmp.dir, 'national'), server.url, 'national', POKE_ONLY);
  pitie = await loginClient(join(tmp.dir, 'pitie'), server.url, 'pui-pitie', POKE_ONLY);
  bichat = await loginClient(join(tmp.dir, 'bichat'), server.url, 'pui-bichat', POKE_ONLY);
  brest = await loginClient(join(tmp.dir, 'brest'), server.url, 'pui-brest', POKE_ONLY);
  arsBretagne = await loginClient(join(tmp.dir, 'ars-bretagne'), server.url, 'ars-bretagne', POKE_ONLY);
  for (const c of [national, pitie, bichat, brest, arsBretagne]) await waitSynced(c);
}, 90_000);
afterAll(async () => {
  for (const c of [national, pitie, bichat, brest, arsBretagne]) await c?.close();
  await server?.close();
  tmp?.cleanup();
});

describe('a national allocation round', () => {
  it('is proposed from the stocks and beds the national cell holds, validated, received live by each establishment (its own line only), published in every main courante, and confirmed back', async () => {
    const view = await national.call('allocations.view', {});
    expect(view.national).toBe(true);
    expect(view.molecules.find((m) => m.code === 'propofol')?.presentations.some((p) => p.cip13 === PROPOFOL_50ML)).toBe(true);
    // Establishments may not propose.
    expect((await pitie.raw('allocations.propose', { cip13: PROPOFOL_50ML, supplyUnits: 10 })).ok).toBe(false);

    const supplyUnits = 400;
    const p = await national.call('allocations.propose', { cip13: PROPOFOL_50ML, supplyUnits, targetDays: 7, weightByOccupancy: true });
    expect(p.mgPerUnit).toBe(500);
    const lines = p.proposal.lines;
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.map((l) => l.finess)).toEqual(expect.arrayContaining([PITIE, BICHAT, BREST]));
    // Every figure per line, the occupancy from the bed board for some, totals that add up.
    expect(lines.some((l) => l.covidOccupied !== null && l.covidOccupied > 0)).toBe(true);
    expect(lines.reduce((s, l) => s + l.quota, 0)).toBe(p.proposal.totals.allocatedUnits);
    expect(p.proposal.totals.allocatedUnits).toBeLessThanOrEqual(supplyUnits);
    expect(p.names[PITIE].name).toBeTruthy();
    // Same inputs, same result.
    expect(await national.call('allocations.propose', { cip13: PROPOFOL_50ML, supplyUnits, targetDays: 7, weightByOccupancy: true })).toEqual(p);

    // Adjust one line: Pitié gets 5 more, taken from the largest other line.
    const pitieLine = lines.find((l) => l.finess === PITIE)!;
    const donor = lines.filter((l) => l.finess !== PITIE).sort((a, b) => b.quota - a.quota)[0];
    const quotas = new Map(lines.map((l) => [l.finess, l.quota]));
    quotas.set(PITIE, pitieLine.quota + 5);
    quotas.set(donor.finess, donor.quota - 5);
    expect(adjustAllocation(p.proposal, [...quotas].map(([finess, quota]) => ({ finess, quota }))).ok).toBe(true);
    const args = {
      cip13: PROPOFOL_50ML,
      supplyUnits,
      targetDays: 7,
      weightByOccupancy: true,
      lines: lines.map((l) => ({ finess: l.finess, onHandMg: l.onHandMg, dailyUseMg: l.dailyUseMg, covidOccupied: l.covidOccupied, quota: quotas.get(l.finess)! })),
    };
    // Above the supply: refused on the workstation already, in French, nothing queued.
    const over = await national.raw('allocations.validate', { ...args, lines: args.lines.map((l) => (l.finess === PITIE ? { ...l, quota: l.quota + supplyUnits } : l)) });
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.error.message).toMatch(/unités pour 400 disponibles/);

    const receipt = await national.call('allocations.validate', args);
    const roundId = receipt.id!;
    await waitSynced(national);

    // Each pharmacy receives its own line live (poke), never another's.
    const pitieRound = await waitFor(async () => (await pitie.call('allocations.view', {})).rounds.find((r) => r.round.id === roundId), 'the round at Pitié');
    expect(pitieRound.lines.map((l) => l.finess)).toEqual([PITIE]);
    expect(pitieRound.lines[0]).toMatchObject({ quota: pitieLine.quota + 5, proposed: pitieLine.quota, adjusted: true, confirmedAt: null });
    expect(pitieRound.lines[0].figures).toEqual(pitieLine);
    const bichatRound = await waitFor(async () => (await bichat.call('allocations.view', {})).rounds.find((r) => r.round.id === roundId), 'the round at Bichat');
    expect(bichatRound.lines.map((l) => l.finess)).toEqual([BICHAT]);
    const brestRound = await waitFor(async () => (await brest.call('allocations.view', {})).rounds.find((r) => r.round.id === roundId), 'the round at Brest');
    expect(brestRound.lines.map((l) => l.finess)).toEqual([BREST]);
    // The round itself carries no establishment's figures.
    expect(JSON.stringify(brestRound.round)).not.toContain(PITIE);
    const bretagne = await waitFor(async () => (await arsBretagne.call('allocations.view', {})).rounds.find((r) => r.round.id === roundId), 'the round at ARS Bretagne');
    expect(bretagne.lines.length).toBeGreaterThan(0);
    expect(bretagne.lines.every((l) => l.regionName === 'Bretagne')).toBe(true);

    // The consigne is in the main courante of every client.
    const messageId = pitieRound.round.messageId;
    for (const c of [national, pitie, bichat, brest, arsBretagne]) {
      const m = await waitFor(async () => (await c.call('messages.list', { eventId: DEMO_IDS.event })).find((x) => x.id === messageId), 'the consigne');
      expect(m).toMatchObject({ kind: 'consigne', territory: 'FR' });
      expect(m.body).toContain('Dotation nationale — Propofol');
    }

    // Bichat cannot confirm Pitié's line; Pitié confirms its own, once; the national cell sees it.
    const notOwn = await bichat.raw('allocations.confirm', { roundId, finess: PITIE });
    expect(notOwn.ok).toBe(false);
    await pitie.call('allocations.confirm', { roundId, finess: PITIE });
    const twice = await pitie.raw('allocations.confirm', { roundId, finess: PITIE });
    expect(twice.ok).toBe(false);
    if (!twice.ok) expect(twice.error.message).toContain('Réception déjà confirmée');
    await waitSynced(pitie);
    const confirmed = await waitFor(async () => {
      const r = (await national.call('allocations.view', {})).rounds.find((x) => x.round.id === roundId);
      return r?.lines.find((l) => l.finess === PITIE && l.confirmedAt !== null) ? r : null;
    }, 'the confirmation at the national cell');
    expect(confirmed.confirmed).toBe(1);
    expect(confirmed.lines.find((l) => l.finess === PITIE)?.confirmedBy).toContain('Claire Moreau');
    expect(confirmed.round.totals.allocatedUnits).toBe(p.proposal.totals.allocatedUnits);

    // Exported as CSV and XLSX, opened back: every figure per line, the supply, the key, the validated quantities.
    const csv = await national.call('allocations.export', { roundId, format: 'csv' });
    expect(csv.fileName).toMatch(/^stocks-tour-propofol-.*\.csv$/);
    const [header, ...rows] = Papa.parse<string[]>(Buffer.from(csv.contentBase64, 'base64').toString('utf8').replace(/^\ufeff/, ''), { delimiter: ';', skipEmptyLines: true }).data;
    expect(rows).toHaveLength(lines.length);
    const col = (name: string) => header.indexOf(name);
    const pitieCsv = rows.find((r) => r[col('FINESS')] === PITIE)!;
    expect(pitieCsv[col('Quote-part validée')]).toBe(String(pitieLine.quota + 5));
    expect(pitieCsv[col('Quote-part proposée')]).toBe(String(pitieLine.quota));
    expect(pitieCsv[col('Modifiée à la main')]).toBe('oui');
    expect(pitieCsv[col('Besoin (unités)')]).toBe(String(pitieLine.needUnits));
    expect(pitieCsv[col('Livraison (unités)')]).toBe(String(supplyUnits));
    expect(pitieCsv[col('Pondération par l’occupation COVID+')]).toBe('oui');
    expect(rows.reduce((n, r) => n + Number(r[col('Quote-part validée')]), 0)).toBe(confirmed.round.totals.allocatedUnits);
    const xlsx = await national.call('allocations.export', { roundId, format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(Buffer.from(xlsx.contentBase64, 'base64')).buffer);
    const summary = wb.getWorksheet('Tour')!;
    const item = (label: string) => summary.getRows(2, summary.rowCount - 1)?.find((r) => r.getCell(1).value === label)?.getCell(2).value;
    expect(item('Livraison (unités)')).toBe(supplyUnits);
    expect(item('Total validé (unités)')).toBe(confirmed.round.totals.allocatedUnits);
    expect(item('Mode de la clé')).toBe('Partage au prorata des besoins');
    expect(wb.getWorksheet('Lignes')?.rowCount).toBe(lines.length + 1);
    // A pharmacy exports the round with its own line only.
    const own = await pitie.call('allocations.export', { roundId, format: 'csv' });
    expect(Buffer.from(own.contentBase64, 'base64').toString('utf8').trim().split('\r\n')).toHaveLength(2);
  }, 90_000);
});
