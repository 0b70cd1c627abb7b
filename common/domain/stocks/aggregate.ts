/**
 * Sums of the stocks board's molecule totals over several establishments (a département, a
 * région, France): the grid's group rows, the national pivot and its export. Pure.
 */
import type { EstablishmentStocks } from './api';
import { coverFigures, type MoleculeCell } from './cover';
import type { CoverThresholds } from './model';
import { MOLECULES, type MoleculeCode } from './products';

/** Sums molecule figures of several places (mg and units add up; cover is recomputed from the sums, projected from the latest count). */
export function sumTotals(parts: ReadonlyArray<MoleculeCell | undefined>, t: CoverThresholds): MoleculeCell | undefined {
  let onHandUnits = 0;
  let onHandMg = 0;
  let dailyUnits: number | null = null;
  let dailyMg: number | null = null;
  let latest = '';
  let latestMs = Number.NEGATIVE_INFINITY;
  let lines = 0;
  let n = 0;
  for (const p of parts) {
    if (p === undefined) continue;
    n++;
    lines += p.lines;
    onHandUnits += p.onHandUnits;
    onHandMg += p.onHandMg;
    if (p.dailyMg !== null) {
      dailyMg = (dailyMg ?? 0) + p.dailyMg;
      dailyUnits = (dailyUnits ?? 0) + (p.dailyUnits ?? 0);
    }
    const ms = Date.parse(p.latestAt);
    if (ms > latestMs) {
      latestMs = ms;
      latest = p.latestAt;
    }
  }
  if (n === 0) return undefined;
  return { onHandUnits, onHandMg, dailyUnits, dailyMg, ...coverFigures(onHandMg, dailyMg, latest, t), latestAt: latest, lines };
}

/** The national pivot: per molecule and région, the région's totals. */
export function pivotByRegion(list: readonly EstablishmentStocks[], t: CoverThresholds): Array<{ region: string; regionName: string; cells: Partial<Record<MoleculeCode, MoleculeCell & { red: number }>> }> {
  const byRegion = new Map<string, EstablishmentStocks[]>();
  for (const e of list) byRegion.set(e.region, [...(byRegion.get(e.region) ?? []), e]);
  return [...byRegion].map(([region, inRegion]) => {
    const cells: Partial<Record<MoleculeCode, MoleculeCell & { red: number }>> = {};
    for (const m of MOLECULES) {
      const s = sumTotals(inRegion.map((e) => e.molecules[m.code]), t);
      if (s) cells[m.code] = { ...s, red: inRegion.filter((e) => e.molecules[m.code]?.level === 'red').length };
    }
    return { region, regionName: inRegion[0].regionName, cells };
  });
}
