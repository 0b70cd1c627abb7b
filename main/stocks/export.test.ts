import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { EstablishmentStocks } from '../../common/domain/stocks/api';
import { MOLECULES } from '../../common/domain/stocks/products';
import { allocate } from '../../common/domain/stocks/allocation';
import type { RoundView } from '../../common/domain/stocks/roundsApi';
import { gridTable, roundExportFileName, roundTables, tableToCsv, tablesToXlsx } from './export';

const row = (name: string, onHandUnits: number): EstablishmentStocks => ({
  finess: '750100125',
  name,
  fullName: name,
  dep: '75',
  depName: 'Paris',
  region: '11',
  regionName: 'Île-de-France',
  molecules: {
    propofol: { onHandUnits, onHandMg: onHandUnits * 500, dailyUnits: 2.25, dailyMg: 1125, days: 12.345, noUse: false, level: 'green', stockOut: '2020-04-20', latestAt: '2020-04-07T08:00:00Z', lines: 1 },
  },
  level: 'green',
  latestAt: '2020-04-07T08:00:00Z',
  pending: false,
});

describe('stocks grid export', () => {
  it('CSV: BOM, `;`, decimal commas, Paris time, and a name a spreadsheet would run as a formula made inert', () => {
    const csv = tableToCsv(gridTable({ rows: [row('=HYPERLINK("x")', 40)], molecules: [...MOLECULES] }));
    expect(csv.startsWith('\ufeff')).toBe(true);
    const [header, line] = Papa.parse<string[]>(csv.slice(1), { delimiter: ';', skipEmptyLines: true }).data;
    expect(line[header.indexOf('Établissement')]).toBe('\'=HYPERLINK("x")');
    expect(line[header.indexOf('Propofol — stock (unités)')]).toBe('40');
    expect(line[header.indexOf('Propofol — conso/j (unités)')]).toBe('2,3');
    expect(line[header.indexOf('Propofol — couverture (j)')]).toBe('12,3');
    expect(line[header.indexOf('Propofol — niveau')]).toBe('vert');
    expect(line[header.indexOf('Midazolam — stock (unités)')]).toBe('');
    expect(line[header.indexOf('Dernier relevé')]).toBe('2020-04-07 10:00');
  });

  it('XLSX: the same rows, numbers as numbers', async () => {
    const t = gridTable({ rows: [row('Pitié', 40), row('Bichat', 7)], molecules: [...MOLECULES] });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(await tablesToXlsx([t])).buffer);
    const ws = wb.getWorksheet('Établissements');
    expect(ws?.rowCount).toBe(3);
    const col = t.header.indexOf('Propofol — stock (unités)') + 1;
    expect(ws?.getRow(3).getCell(col).value).toBe(7);
    expect(ws?.getRow(2).getCell(4).value).toBe('Pitié');
  });
});

describe('allocation round export', () => {
  const PITIE = '750100125';
  const BICHAT = '750100232';
  const proposal = allocate({
    supplyUnits: 100,
    mgPerUnit: 10,
    weightByOccupancy: true,
    lines: [
      { finess: '750100125', onHandMg: 100, dailyUseMg: 300, targetDays: 7, covidOccupied: 20 },
      { finess: '750100232', onHandMg: 0, dailyUseMg: 200, targetDays: 7, covidOccupied: 5 },
      { finess: '290004324', onHandMg: 50, dailyUseMg: null, targetDays: 7, covidOccupied: null },
    ],
  });
  const view: RoundView = {
    round: {
      id: 'r1',
      molecule: 'cisatracurium',
      cip13: '3400955953920',
      presentationLabel: 'NIMBEX 5 mg/ml, flacon 30 ml',
      mgPerUnit: 10,
      targetDays: 7,
      parameters: proposal.parameters,
      totals: { supplyUnits: 100, needUnits: proposal.totals.needUnits, proposedUnits: 100, allocatedUnits: 100, leftUnits: 0, lines: 3, adjustedLines: 1, unknownNeedLines: 1 },
      messageId: 'm1',
      validatedBy: 'Cellule nationale',
      validatedRole: 'national',
      validatedAt: '2020-04-07T08:00:00Z',
      version: 3,
    },
    lines: proposal.lines.map((figures, i) => ({
      id: `r1:${figures.finess}`,
      roundId: 'r1',
      finess: figures.finess,
      molecule: 'cisatracurium' as const,
      cip13: '3400955953920',
      presentationLabel: 'NIMBEX',
      mgPerUnit: 10,
      figures,
      proposed: figures.quota,
      // Pitié gave 2 units to Bichat by hand.
      quota: figures.quota + (figures.finess === PITIE ? -2 : figures.finess === BICHAT ? 2 : 0),
      adjusted: figures.finess === PITIE || figures.finess === BICHAT,
      validatedBy: 'Cellule nationale',
      validatedAt: '2020-04-07T08:00:00Z',
      confirmedBy: figures.finess === BICHAT ? 'Dr X' : null,
      confirmedRole: null,
      confirmedAt: figures.finess === BICHAT ? '2020-04-08T06:30:00Z' : null,
      version: 3,
      name: `E${i}`,
      dep: '75',
      regionName: 'Île-de-France',
      pending: false,
    })),
    confirmed: 1,
    toConfirm: 2,
    pending: false,
  };

  it('CSV: one row per line with its inputs, every intermediate figure, the supply, the key and the validated quota', () => {
    const { lines } = roundTables(view, 'Cisatracurium');
    const [header, ...rows] = Papa.parse<string[]>(tableToCsv(lines).slice(1), { delimiter: ';', skipEmptyLines: true }).data;
    expect(rows).toHaveLength(3);
    const col = (name: string) => header.indexOf(name);
    for (const name of ['Stock (mg)', 'Consommation (mg/j)', 'Occupation COVID+', 'Besoin (mg)', 'Besoin (unités)', 'Poids', 'Part du besoin pondéré', 'Quote-part brute', 'Partie entière', 'Reste', 'Rang du reste', 'Unité au plus fort reste', 'Quote-part proposée', 'Quote-part validée', 'Livraison (unités)', 'Mode de la clé']) {
      expect(col(name), name).toBeGreaterThanOrEqual(0);
    }
    const byFiness = new Map(rows.map((r) => [r[col('FINESS')], r]));
    const first = proposal.lines.find((l) => l.finess === PITIE) as (typeof proposal.lines)[number];
    expect(first.quota).toBeGreaterThan(2);
    const r0 = byFiness.get(first.finess) as string[];
    expect(r0[col('Quote-part proposée')]).toBe(String(first.quota));
    expect(r0[col('Quote-part validée')]).toBe(String(first.quota - 2));
    expect(r0[col('Quote-part brute')]).toBe(String(Math.round(first.rawQuota * 1e4) / 1e4).replace('.', ','));
    expect(r0[col('Livraison (unités)')]).toBe('100');
    expect(byFiness.get('290004324')?.[col('Besoin connu')]).toBe('non');
    expect(rows.reduce((n, r) => n + Number(r[col('Quote-part validée')]), 0)).toBe(100);
    expect(byFiness.get(BICHAT)?.[col('Réception confirmée le')]).toBe('2020-04-08 08:30');
  });

  it('XLSX: the round (supply, key, totals) and the lines, numbers as numbers', async () => {
    const { summary, lines } = roundTables(view, 'Cisatracurium');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(await tablesToXlsx([summary, lines])).buffer);
    const s = wb.getWorksheet('Tour');
    const item = (label: string) => s?.getRows(2, s.rowCount - 1)?.find((r) => r.getCell(1).value === label)?.getCell(2).value;
    expect(item('Livraison (unités)')).toBe(100);
    expect(item('Pondération par l’occupation COVID+')).toBe('oui');
    expect(item('Unités données au plus fort reste')).toBe(proposal.totals.remainderUnits);
    expect(item('Total validé (unités)')).toBe(100);
    const l = wb.getWorksheet('Lignes');
    expect(l?.rowCount).toBe(4);
    const quotaCol = lines.header.indexOf('Quote-part validée') + 1;
    expect(typeof l?.getRow(2).getCell(quotaCol).value).toBe('number');
    expect(roundExportFileName(view, 'xlsx')).toBe('stocks-tour-cisatracurium-2020-04-07-1000.xlsx');
  });
});
