import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { EstablishmentStocks } from '../../common/domain/stocks/api';
import { MOLECULES } from '../../common/domain/stocks/products';
import { gridTable, tableToCsv, tablesToXlsx } from './export';

const row = (name: string, onHandUnits: number): EstablishmentStocks => ({
  finess: '750100125',
  name,
  fullName: name,
  dep: '75',
  depName: 'Paris',
  region: '11',
  regionName: 'Île-de-France',
  molecules: {
    propofol: { molecule: 'propofol', onHandUnits, onHandMg: onHandUnits * 500, dailyUnits: 2.25, dailyMg: 1125, days: 12.345, noUse: false, level: 'green', stockOut: '2020-04-20', oldestAt: '2020-04-07T08:00:00Z', latestAt: '2020-04-07T08:00:00Z', lines: 1 },
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
