/**
 * Stocks (issue 9): the board's pure computations on generated data.
 *
 * 700 establishments drawn (seeded) from the FINESS referential's located MCO establishments,
 * × the 5 molecules of April 2020 (stock on hand, corrected daily use, COVID+ occupancy):
 *
 * 1. An allocation round for one molecule (cisatracurium) over the 700, with a supply of 40 %
 *    of the total need, weighted by COVID+ occupancy. Target < 200 ms. Baseline: the bare
 *    proportional formula (supply × need ÷ total need, rounded to the nearest unit — which
 *    loses or creates units) on the same lines in the same run.
 * 2. A regional redeployment suggestion for one molecule in the région holding the most of
 *    the 700. Target < 1 s. Baseline: nearest-first (each receiver takes from its nearest
 *    giver, then the next), same thresholds; the figures compare time and number of moves.
 * 3. A 10,000-line PUI CSV export (Windows-1252, `;`, French decimals and dates) validated
 *    whole. Target: part of < 2 s validated and applied (applying is the board's, measured
 *    with it). Baseline: papaparse alone parsing the same text, no decoding and no checks.
 *
 * Pure computation: no server, no process. Times are the median of 5 runs after a warm-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { loadTerritories, type Establishment } from '../common/territory';
import { allocate, type AllocationInput } from '../common/domain/stocks/allocation';
import { suggestRedeployment, suggestRedeploymentNearestFirst, type RedeployEstablishment } from '../common/domain/stocks/redeploy';
import { parseStockImport, type StockImportLookups } from '../common/domain/stocks/importCsv';
import { seededRandom } from '../common/seeded';
import { REPO_ROOT } from './support/processes';

const ESTABLISHMENTS = 700;
const CSV_LINES = 10_000;
const RUNS = 5;
const SEED = 2020_04_07; // the week the five molecules were put under national allocation

/** The five molecules: mg per unit of a common presentation and a plausible daily use per establishment (mg). */
const MOLECULES = [
  { name: 'midazolam', mgPerUnit: 50, dailyMg: 600 },
  { name: 'propofol', mgPerUnit: 500, dailyMg: 6000 },
  { name: 'cisatracurium', mgPerUnit: 10, dailyMg: 300 },
  { name: 'atracurium', mgPerUnit: 50, dailyMg: 400 },
  { name: 'rocuronium', mgPerUnit: 50, dailyMg: 350 },
] as const;

interface StockLine {
  onHandMg: number;
  dailyUseMg: number | null;
}

interface GeneratedCase {
  establishments: Array<Establishment & { region: string; covidOccupied: number | null; stock: StockLine[] }>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

function timed<T>(f: () => T): { ms: number[]; value: T } {
  let value = f(); // warm-up (JIT)
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    value = f();
    ms.push(performance.now() - t0);
  }
  return { ms, value };
}

/** 700 located establishments, seeded, with five molecules' stock, use and COVID+ occupancy. */
export function stocksCase(seed = SEED): GeneratedCase {
  const r = seededRandom(seed);
  const territories = loadTerritories((f) => readFileSync(join(REPO_ROOT, 'resources', 'referential', f), 'utf8'));
  const located = territories
    .establishmentsIn()
    .filter((e) => e.lat !== null && e.lon !== null)
    .sort((a, b) => (a.finess < b.finess ? -1 : 1));
  for (let i = located.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [located[i], located[j]] = [located[j], located[i]];
  }
  const establishments = located.slice(0, ESTABLISHMENTS).map((e) => {
    const size = 0.2 + r() * r() * 6; // many small units, a few big ones
    return {
      ...e,
      region: territories.departement(e.dep)?.region ?? '?',
      covidOccupied: r() < 0.05 ? null : Math.round(size * 8 * r()),
      stock: MOLECULES.map((m): StockLine => {
        const dailyUseMg = r() < 0.05 ? null : Math.round(m.dailyMg * size * (0.5 + r()));
        const coverDays = r() < 0.3 ? r() * 5 : r() * 30;
        return { dailyUseMg, onHandMg: Math.round((dailyUseMg ?? m.dailyMg) * coverDays) };
      }),
    };
  });
  return { establishments };
}

export interface StocksBenchResult {
  establishments: number;
  allocation: { lines: number; supplyUnits: number; needUnits: number; ms: number; runsMs: number[]; baselineMs: number; baselineRunsMs: number[]; baselineUnitsOff: number };
  redeployment: { region: string; establishments: number; ms: number; runsMs: number[]; moves: number; movedUnits: number; missingUnits: number; baselineMs: number; baselineRunsMs: number[]; baselineMoves: number; baselineMovedUnits: number };
  csv: { lines: number; bytes: number; ms: number; runsMs: number[]; rows: number; badLines: number; baselineMs: number; baselineRunsMs: number[] };
}

function runAllocation(c: GeneratedCase): StocksBenchResult['allocation'] {
  const m = 2; // cisatracurium
  const { mgPerUnit } = MOLECULES[m];
  const lines = c.establishments.map((e) => ({ finess: e.finess, onHandMg: e.stock[m].onHandMg, dailyUseMg: e.stock[m].dailyUseMg, targetDays: 14, covidOccupied: e.covidOccupied }));
  const needUnits = allocate({ supplyUnits: 0, mgPerUnit, lines }).totals.needUnits;
  const input: AllocationInput = { supplyUnits: Math.floor(needUnits * 0.4), mgPerUnit, lines, weightByOccupancy: true };
  const run = timed(() => allocate(input));
  // The bare formula: what a spreadsheet does. It rounds each line on its own, so units go missing or appear.
  const baseline = timed(() => {
    const needs = lines.map((l) => (l.dailyUseMg === null ? 0 : Math.max(0, Math.ceil((l.targetDays * l.dailyUseMg - l.onHandMg) / mgPerUnit))));
    const total = needs.reduce((s, n) => s + n, 0);
    return needs.map((n) => Math.round((input.supplyUnits * n) / total));
  });
  return {
    lines: lines.length,
    supplyUnits: input.supplyUnits,
    needUnits,
    ms: median(run.ms),
    runsMs: run.ms,
    baselineMs: median(baseline.ms),
    baselineRunsMs: baseline.ms,
    baselineUnitsOff: baseline.value.reduce((s, q) => s + q, 0) - input.supplyUnits,
  };
}

function runRedeployment(c: GeneratedCase): StocksBenchResult['redeployment'] {
  const count = new Map<string, number>();
  for (const e of c.establishments) count.set(e.region, (count.get(e.region) ?? 0) + 1);
  const region = [...count.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  const m = 2;
  const { mgPerUnit } = MOLECULES[m];
  const list: RedeployEstablishment[] = c.establishments
    .filter((e) => e.region === region)
    .map((e) => ({ finess: e.finess, lat: e.lat, lon: e.lon, onHand: Math.floor(e.stock[m].onHandMg / mgPerUnit), dailyUse: e.stock[m].dailyUseMg === null ? null : e.stock[m].dailyUseMg / mgPerUnit }));
  const params = { surplusDays: 14, alertDays: 7 };
  const run = timed(() => suggestRedeployment(list, params));
  const baseline = timed(() => suggestRedeploymentNearestFirst(list, params));
  return {
    region,
    establishments: list.length,
    ms: median(run.ms),
    runsMs: run.ms,
    moves: run.value.moves.length,
    movedUnits: run.value.totals.movedUnits,
    missingUnits: run.value.totals.missingUnits,
    baselineMs: median(baseline.ms),
    baselineRunsMs: baseline.ms,
    baselineMoves: baseline.value.moves,
    baselineMovedUnits: baseline.value.movedUnits,
  };
}

/** Windows-1252 bytes of a text whose characters are all Latin-1 (what the generator writes). */
function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function runCsv(c: GeneratedCase): StocksBenchResult['csv'] {
  const r = seededRandom(SEED + 1);
  // Three presentations per molecule, with made-up CIP13s (the lookup is the bench's own).
  const presentations = MOLECULES.flatMap((m, i) => [0, 1, 2].map((k) => ({ id: `${m.name}-${k}`, cip13: `34009${String(10_000_000 + i * 10 + k).padStart(8, '0')}` })));
  const byCip = new Map(presentations.map((p) => [p.cip13, p.id]));
  const known = new Set(c.establishments.map((e) => e.finess));
  const lookups: StockImportLookups = {
    establishment: (code) => (known.has(code) ? code : null),
    presentationByCip13: (cip) => byCip.get(cip) ?? null,
    presentationsByCis: () => [],
  };
  const header = 'Numéro FINESS;CIP13;Désignation;Quantité en stock;Consommation 7j;Jours de rupture;Date inventaire';
  const lines: string[] = [header];
  const fmt = (x: number): string => x.toFixed(1).replace('.', ',');
  for (let i = 0; lines.length <= CSV_LINES; i++) {
    const e = c.establishments[i % c.establishments.length];
    const p = presentations[Math.floor(i / c.establishments.length) % presentations.length];
    const day = 1 + (Math.floor(i / (c.establishments.length * presentations.length)) % 28);
    const qty = Math.floor(r() * 3000);
    lines.push(`${e.finess};${p.cip13};Présentation ${p.id};${qty >= 1000 ? `${Math.floor(qty / 1000)} ${String(qty % 1000).padStart(3, '0')}` : qty};${fmt(r() * 400)};${Math.floor(r() * 2)};${String(day).padStart(2, '0')}/04/2020`);
  }
  const text = `${lines.join('\r\n')}\r\n`;
  const bytes = latin1Bytes(text);
  const run = timed(() => parseStockImport(bytes, lookups, { today: '2020-04-30' }));
  const baseline = timed(() => Papa.parse<string[]>(text, { delimiter: ';' }).data.length);
  return {
    lines: lines.length - 1,
    bytes: bytes.length,
    ms: median(run.ms),
    runsMs: run.ms,
    rows: run.value.rows.length,
    badLines: run.value.errors.length,
    baselineMs: median(baseline.ms),
    baselineRunsMs: baseline.ms,
  };
}

export function runStocks(): StocksBenchResult {
  const c = stocksCase();
  return { establishments: c.establishments.length, allocation: runAllocation(c), redeployment: runRedeployment(c), csv: runCsv(c) };
}

export function printStocks(r: StocksBenchResult): void {
  const each = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  const a = r.allocation;
  const d = r.redeployment;
  const c = r.csv;
  console.log('\n## Stocks');
  console.log(`Allocation round        : cisatracurium, ${a.lines} establishments, supply ${a.supplyUnits} of ${a.needUnits} units needed, weighted by COVID+ occupancy`);
  console.log(`  key + largest remainder: ${a.ms.toFixed(2)} ms median of ${a.runsMs.length} (${each(a.runsMs)}) (target < 200 ms)`);
  console.log(`  bare formula baseline : ${a.baselineMs.toFixed(3)} ms median (${each(a.baselineRunsMs)}) → ×${(a.ms / a.baselineMs).toFixed(1)} the time; it is off by ${a.baselineUnitsOff} unit(s), the key by 0`);
  console.log(`Regional redeployment   : cisatracurium, région ${d.region}, ${d.establishments} establishments`);
  console.log(`  fewest/nearest        : ${d.ms.toFixed(2)} ms median of ${d.runsMs.length} (${each(d.runsMs)}) (target < 1,000 ms) — ${d.moves} moves, ${d.movedUnits} units, ${d.missingUnits} still missing`);
  console.log(`  nearest-first baseline: ${d.baselineMs.toFixed(2)} ms median (${each(d.baselineRunsMs)}) → ×${(d.ms / d.baselineMs).toFixed(1)} the time — ${d.baselineMoves} moves for ${d.baselineMovedUnits} units`);
  console.log(`PUI CSV import          : ${c.lines} lines, ${(c.bytes / 1024).toFixed(0)} KiB Windows-1252`);
  console.log(`  decode + validate     : ${c.ms.toFixed(1)} ms median of ${c.runsMs.length} (${each(c.runsMs)}) — ${c.rows} rows, ${c.badLines} bad lines (target: part of < 2,000 ms with applying)`);
  console.log(`  papaparse alone       : ${c.baselineMs.toFixed(1)} ms median (${each(c.baselineRunsMs)}) → ×${(c.ms / c.baselineMs).toFixed(1)} the time`);
}
