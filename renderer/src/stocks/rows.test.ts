import { describe, expect, it } from 'vitest';
import type { EstablishmentStocks } from '../../../common/domain/stocks/api';
import type { MoleculeCell } from '../../../common/domain/stocks/cover';
import { DEFAULT_COVER_THRESHOLDS } from '../../../common/domain/stocks/model';
import { buildStockRows, pivotByRegion, sumTotals } from './rows';
import { readDrafts } from './QuickForm';

const T = DEFAULT_COVER_THRESHOLDS;
const totals = (onHandMg: number, dailyMg: number | null, at = '2020-04-06T08:00:00.000Z'): MoleculeCell => ({
  onHandUnits: onHandMg / 500, onHandMg, dailyUnits: dailyMg === null ? null : dailyMg / 500, dailyMg, days: dailyMg ? onHandMg / dailyMg : null,
  noUse: false, level: 'green', latestAt: at, stockOut: null, lines: 1,
});
const est = (finess: string, dep: string, region: string, t: MoleculeCell, level: EstablishmentStocks['level'] = 'green'): EstablishmentStocks => ({
  finess, name: `E${finess}`, fullName: `ETAB ${finess}`, dep, depName: `Dep ${dep}`, region, regionName: `Région ${region}`, molecules: { propofol: t }, level, latestAt: t.latestAt, pending: false,
});

describe('the stocks grid’s rows', () => {
  it('sum molecules in mg up the tree, cover recomputed from the sums, unknown use left out of the daily use', () => {
    const s = sumTotals([totals(10_000, 5_000), totals(2_000, null), undefined], T);
    expect(s).toMatchObject({ onHandMg: 12_000, dailyMg: 5_000, days: 2.4, level: 'red', lines: 2 });
    expect(sumTotals([undefined], T)).toBeUndefined();
  });

  it('group région → département → establishment, and a closed group hides what is under it', () => {
    const list = [est('1', '75', '11', totals(10_000, 1_000), 'red'), est('2', '75', '11', totals(10_000, 1_000)), est('3', '29', '53', totals(1_000, 1_000))];
    const rows = buildStockRows(list, T, new Set());
    expect(rows.map((r) => `${r.kind}:${r.id}`)).toEqual(['region:R:11', 'dep:D:75', 'establishment:E:1', 'establishment:E:2', 'region:R:53', 'dep:D:29', 'establishment:E:3']);
    expect(rows[0]).toMatchObject({ count: 2, red: 1, level: 'green' });
    expect(rows[0].molecules.propofol?.days).toBe(10);
    expect(rows[4].molecules.propofol).toMatchObject({ days: 1, level: 'red' });
    expect(buildStockRows(list, T, new Set(['R:11'])).map((r) => r.id)).toEqual(['R:11', 'R:53', 'D:29', 'E:3']);
    expect(buildStockRows(list, T, new Set(), 'e3').map((r) => r.id)).toEqual(['R:53', 'D:29', 'E:3']);
  });

  it('pivot to molecules × régions for the national view', () => {
    const p = pivotByRegion([est('1', '75', '11', { ...totals(1_000, 1_000), level: 'red' }), est('3', '29', '53', totals(20_000, 1_000))], T);
    expect(p.map((r) => [r.region, r.cells.propofol?.days, r.cells.propofol?.level, r.cells.propofol?.red])).toEqual([
      ['11', 1, 'red', 1],
      ['53', 20, 'green', 0],
    ]);
  });
});

describe('the quick form’s reading', () => {
  it('takes French numbers, sends only filled lines, and names each wrong field', () => {
    const { lines, errors } = readDrafts({
      '3400956100163': { onHand: '1 234,5', used7d: '12,0', daysOut: '1' },
      '3400957152123': {},
      '3400957366742': { onHand: 'douze', daysOut: '9' },
      '3400955953920': { used7d: '10' },
    });
    expect(lines).toEqual([{ cip13: '3400956100163', onHand: 1234.5, used7d: 12, daysOut: 1, delivered: 0 }]);
    expect(errors).toEqual({
      '3400957366742.onHand': 'Nombre attendu (ex. « 1 234,5 »).',
      '3400957366742.daysOut': 'Jours de rupture : 7 au plus (la période compte 7 jours).',
      '3400955953920.onHand': 'Stock (unités) : requis.',
    });
  });
});

describe('a pharmacist’s role as the shell shows it', () => {
  it('names the pharmacy, not a raw role string', async () => {
    const { identityLine, roleLabel } = await import('../eventlog/format');
    expect(roleLabel('pui:750100125', null)).toBe('Pharmacie (PUI) 750100125');
    expect(identityLine({ role: 'pui:750100125', territoryLabel: 'Hôpital Pitié-Salpêtrière' })).toBe('Pharmacie (PUI) — Hôpital Pitié-Salpêtrière');
  });
});
