import { describe, expect, it } from 'vitest';
import { csvObjects, parseCsv } from '../../../common/csv';

describe('parseCsv', () => {
  it('reads quoted fields with separators, doubled quotes and line breaks', () => {
    const t = parseCsv('a,b,c\n1,"x, y","il a dit ""non"""\n2,"deux\nlignes",z\n');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.records.map((r) => r.fields)).toEqual([
      ['1', 'x, y', 'il a dit "non"'],
      ['2', 'deux\nlignes', 'z'],
    ]);
  });

  it('numbers records by the physical line they start on', () => {
    const t = parseCsv('a;b\r\n1;"multi\r\nline"\r\n\r\n3;4');
    expect(t.records.map((r) => r.line)).toEqual([2, 5]);
  });

  it('detects ; separators and drops a UTF-8 BOM', () => {
    const t = parseCsv('\uFEFFfiness;lits\n750100125;12,5\n');
    expect(t.header).toEqual(['finess', 'lits']);
    expect(csvObjects(t)[0]).toMatchObject({ finess: '750100125', lits: '12,5', _line: '2' });
  });

  it('keeps empty trailing fields', () => {
    expect(parseCsv('a,b,c\n1,,\n').records[0].fields).toEqual(['1', '', '']);
  });
});
