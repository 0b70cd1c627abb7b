import { describe, expect, it } from 'vitest';
import { importErrorLines, parseDateCell, parseNumberCell, parseStockImport, type StockImportLookups } from '../../../../common/domain/stocks/importCsv';

const FINESS = { chu: '670780055', ch: '010000024', lyon: '690781810' };
/** Local codes of the PUI software, mapped to FINESS. */
const CODES: Record<string, string> = { 'PUI-STRAS': FINESS.chu };
const CIP = { cisatracurium: '3400935540987', propofol: '3400930000001', midazolam: '3400931111111' };
const CIS: Record<string, string[]> = { '61234567': ['pres-cisa-5ml'], '69999999': ['pres-a', 'pres-b'] };
const lookups: StockImportLookups = {
  establishment: (code) => (Object.values(FINESS).includes(code) ? code : CODES[code] ?? null),
  presentationByCip13: (cip) => ({ [CIP.cisatracurium]: 'pres-cisa-5ml', [CIP.propofol]: 'pres-propofol-20ml', [CIP.midazolam]: 'pres-mida-10ml' })[cip] ?? null,
  presentationsByCis: (cis) => CIS[cis] ?? [],
};

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
/** ISO-8859-1 / Windows-1252 bytes of a string whose characters are all below U+0100. */
const latin1 = (s: string): Uint8Array => Uint8Array.from([...s].map((c) => {
  const code = c.charCodeAt(0);
  if (code > 0xff) throw new Error(`not Latin-1: ${c}`);
  return code;
}));
const parse = (text: string | Uint8Array, today?: string) => parseStockImport(typeof text === 'string' ? utf8(text) : text, lookups, { today });

describe('PUI CSV import: reading', () => {
  it('reads a `;` file with French numbers and dates', () => {
    const r = parse(`FINESS;CIP13;Quantité;Consommation 7j;Date\n${FINESS.chu};${CIP.cisatracurium};120;45,5;24/03/2020\n`);
    expect(r).toMatchObject({ ok: true, separator: ';', encoding: 'utf-8', errors: [], fileErrors: [] });
    expect(r.rows).toEqual([
      { line: 2, finess: FINESS.chu, presentationId: 'pres-cisa-5ml', quantity: 120, consumption7d: 45.5, dailyUse: null, daysOutOfStock: null, deliveries: null, day: '2020-03-24', time: null },
    ]);
  });

  it('reads a `,` file with quoted decimal commas and ISO dates', () => {
    const r = parse(`finess,cip13,qte,conso_jour,date\n${FINESS.ch},${CIP.propofol},"1 234","2,5",2020-04-02T08:30:00Z\n`);
    expect(r.separator).toBe(',');
    expect(r.rows[0]).toMatchObject({ quantity: 1234, dailyUse: 2.5, day: '2020-04-02', time: '10:30' });
  });

  it('drops a UTF-8 BOM before the header', () => {
    const r = parseStockImport(utf8(`\uFEFFFINESS;CIP13;QTE;DATE\n${FINESS.chu};${CIP.midazolam};3;01/04/2020\n`), lookups);
    expect(r.ok).toBe(true);
    expect(r.rows[0].finess).toBe(FINESS.chu);
  });

  it('decodes Latin-1 (Windows-1252) bytes: « é » in headers and in a name column', () => {
    const text = `Numéro FINESS;Désignation;CIP13;Quantité en stock;Date inventaire\r\n${FINESS.chu};Cisatracurium 5 ml – réa;${CIP.cisatracurium};7;30/03/2020\r\n`.replace('–', '\u0096');
    const r = parse(latin1(text));
    expect(r.encoding).toBe('latin-1');
    expect(r.ok).toBe(true);
    expect(r.rows[0]).toMatchObject({ finess: FINESS.chu, quantity: 7, day: '2020-03-30' });
  });

  it('accepts thousands separated by spaces, no-break and narrow no-break spaces, and dotted thousands with a decimal comma', () => {
    for (const [raw, value] of [['1 200', 1200], ['1\u00a0200', 1200], ['1\u202f200', 1200], ['1.200,0', 1200], ['1,200.0', 1200], ['12,0', 12]] as const) {
      expect(parseNumberCell(raw, 'Q', true)).toEqual({ ok: true, value });
    }
    expect(parseNumberCell('1,2,3', 'Q', false).ok).toBe(false);
    expect(parseNumberCell('12,5', 'Q', true)).toEqual({ ok: false, reason: 'Q : « 12,5 » — nombre entier attendu.' });
    expect(parseNumberCell('abc', 'Q', false).ok).toBe(false);
  });

  it('reads French dates with a time, ISO days, and refuses impossible ones', () => {
    expect(parseDateCell('24/03/2020 08h30')).toEqual({ ok: true, day: '2020-03-24', time: '08:30' });
    expect(parseDateCell('4/3/2020')).toEqual({ ok: true, day: '2020-03-04', time: null });
    expect(parseDateCell('2020-03-24')).toEqual({ ok: true, day: '2020-03-24', time: null });
    expect(parseDateCell('2020-03-24T23:30:00+01:00')).toEqual({ ok: true, day: '2020-03-24', time: '23:30' });
    expect(parseDateCell('2020-03-31T23:30:00Z')).toEqual({ ok: true, day: '2020-04-01', time: '01:30' }); // summer time in Paris
    expect(parseDateCell('31/02/2020').ok).toBe(false);
    expect(parseDateCell('24/03/20')).toEqual({ ok: false, reason: expect.stringContaining('deux chiffres') });
    expect(parseDateCell('2020-13-01').ok).toBe(false);
  });

  it('skips empty lines and lines of separators, keeping physical line numbers', () => {
    const r = parse(`FINESS;CIP13;QTE;DATE\n\n${FINESS.chu};${CIP.cisatracurium};1;01/04/2020\n;;;\n\n${FINESS.ch};${CIP.cisatracurium};x;01/04/2020\n`);
    expect(r.dataLines).toBe(2);
    expect(r.rows.map((x) => x.line)).toEqual([3]);
    expect(r.errors.map((e) => e.line)).toEqual([6]);
  });

  it('counts the lines of a quoted field spanning lines', () => {
    const r = parse(`FINESS;Désignation;CIP13;QTE;DATE\n${FINESS.chu};"deux\nlignes";${CIP.cisatracurium};1;01/04/2020\n${FINESS.chu};x;${CIP.propofol};-1;01/04/2020\n`);
    expect(r.rows[0].line).toBe(2);
    expect(r.errors).toEqual([{ line: 4, reasons: ['QTE : « -1 » — une quantité ne peut pas être négative.'] }]);
  });

  it('resolves a PUI establishment code, a CIS naming one presentation, and a FINESS that lost its leading zero', () => {
    const r = parse(`code_etablissement;cip13;cis;quantite;date\nPUI-STRAS;;61234567;5;01/04/2020\n${FINESS.ch.slice(1)};${CIP.propofol};;6;01/04/2020\n`);
    expect(r.ok).toBe(true);
    expect(r.rows.map((x) => [x.finess, x.presentationId])).toEqual([[FINESS.chu, 'pres-cisa-5ml'], [FINESS.ch, 'pres-propofol-20ml']]);
    expect(r.warnings).toContainEqual(expect.stringContaining('zéro initial rétabli'));
  });

  it('says when a generic consumption column is read as 7 days, and when there is none', () => {
    expect(parse(`FINESS;CIP13;QTE;Consommation;DATE\n${FINESS.chu};${CIP.cisatracurium};1;14;01/04/2020\n`).warnings).toEqual(['Colonne « Consommation » lue comme la consommation des 7 derniers jours.']);
    expect(parse(`FINESS;CIP13;QTE;DATE\n${FINESS.chu};${CIP.cisatracurium};1;01/04/2020\n`).warnings).toEqual([expect.stringContaining('Pas de colonne de consommation')]);
  });
});

describe('PUI CSV import: validation of the whole file', () => {
  it('refuses a file with only a header, or nothing at all', () => {
    expect(parse('FINESS;CIP13;QTE;DATE\n')).toMatchObject({ ok: false, rows: [], fileErrors: ['Fichier vide : aucune ligne de données après l’en-tête.'] });
    expect(parse('')).toMatchObject({ ok: false, fileErrors: ['Fichier vide : ni en-tête ni données.'] });
    expect(parse('\n\n')).toMatchObject({ ok: false, fileErrors: ['Fichier vide : ni en-tête ni données.'] });
  });

  it('names every missing required column', () => {
    const r = parse('nom;stock\nx;1\n');
    expect(r.ok).toBe(false);
    expect(r.fileErrors).toHaveLength(3);
    expect(r.fileErrors.join('\n')).toMatch(/établissement[\s\S]*présentation[\s\S]*date/);
  });

  it('reports a wrong column count but tolerates trailing empty fields', () => {
    const r = parse(`FINESS;CIP13;QTE;DATE\n${FINESS.chu};${CIP.cisatracurium};1;01/04/2020;;\n${FINESS.chu};${CIP.propofol};1\n${FINESS.chu};${CIP.midazolam};1;01/04/2020;oops\n`);
    expect(r.rows.map((x) => x.line)).toEqual([2]);
    expect(r.errors).toEqual([
      { line: 3, reasons: ['3 colonne(s) au lieu de 4 (séparateur ou guillemet mal placé ?).'] },
      { line: 4, reasons: ['5 colonne(s) au lieu de 4 (séparateur ou guillemet mal placé ?).'] },
    ]);
  });

  it('reports unknown FINESS, CIP13 and CIS, malformed codes, an ambiguous CIS — every bad line with its number', () => {
    const r = parse(
      [
        'FINESS;CIP13;CIS;QTE;DATE',
        `999999999;${CIP.cisatracurium};;1;01/04/2020`,
        `${FINESS.chu};3400999999999;;1;01/04/2020`,
        `${FINESS.chu};34009;;1;01/04/2020`,
        `${FINESS.chu};3,40094E+12;;1;01/04/2020`,
        `${FINESS.chu};;69999999;1;01/04/2020`,
        `${FINESS.chu};;11111111;1;01/04/2020`,
        `;;;1;01/04/2020`,
        `${FINESS.lyon};${CIP.propofol};;2;02/04/2020`,
      ].join('\n'),
    );
    expect(r.ok).toBe(false);
    expect(r.rows.map((x) => x.line)).toEqual([9]);
    expect(importErrorLines(r)).toEqual([
      'Ligne 2 : Établissement inconnu : « 999999999 » n’est ni un FINESS ni un code d’établissement connu.',
      'Ligne 3 : CIP13 inconnu : « 3400999999999 » n’est pas une présentation suivie.',
      'Ligne 4 : CIP13 invalide : « 34009 » (13 chiffres attendus).',
      'Ligne 5 : CIP13 « 3,40094E+12 » écrit en notation scientifique par un tableur : chiffres perdus, exportez la colonne en texte.',
      'Ligne 6 : CIS « 69999999 » : 2 présentations possibles, donnez le CIP13.',
      'Ligne 7 : CIS inconnu : « 11111111 » n’est pas une spécialité suivie.',
      'Ligne 8 : Établissement absent (FINESS ou code établissement).',
      'Ligne 8 : Présentation absente (CIP13 ou CIS).',
    ]);
  });

  it('reports negative, fractional and missing quantities, bad and future dates, duplicates', () => {
    const r = parse(
      [
        'FINESS;CIP13;QTE;CONSO_7J;JOURS_RUPTURE;DATE',
        `${FINESS.chu};${CIP.cisatracurium};-3;1;0;01/04/2020`,
        `${FINESS.chu};${CIP.propofol};2,5;-1;0;01/04/2020`,
        `${FINESS.chu};${CIP.midazolam};;1;1,5;32/04/2020`,
        `${FINESS.ch};${CIP.midazolam};4;1;0;01/05/2020`,
        `${FINESS.ch};${CIP.propofol};4;1;0;2020-04-01`,
        `${FINESS.ch};${CIP.propofol};5;1;0;01/04/2020`,
      ].join('\n'),
      '2020-04-15',
    );
    expect(r.errors).toEqual([
      { line: 2, reasons: ['QTE : « -3 » — une quantité ne peut pas être négative.'] },
      { line: 3, reasons: ['QTE : « 2,5 » — nombre entier attendu.', 'CONSO_7J : « -1 » — une quantité ne peut pas être négative.'] },
      { line: 4, reasons: ['QTE : valeur absente.', 'JOURS_RUPTURE : « 1,5 » — nombre entier attendu.', 'Date illisible : « 32/04/2020 » (JJ/MM/AAAA, JJ/MM/AAAA HH:MM ou AAAA-MM-JJ attendu).'] },
      { line: 5, reasons: ['Date « 01/05/2020 » dans le futur : vérifiez la colonne de date.'] },
      { line: 7, reasons: ['Même établissement, même présentation et même date qu’à la ligne 6.'] },
    ]);
    // Nothing from a rejected line leaks into the rows.
    expect(r.rows).toEqual([expect.objectContaining({ line: 6, quantity: 4, finess: FINESS.ch, presentationId: 'pres-propofol-20ml' })]);
    expect(r.ok).toBe(false);
  });

  it('refuses two columns for the same figure', () => {
    expect(parse(`FINESS;CIP13;QTE;Stock;DATE\n${FINESS.chu};${CIP.cisatracurium};1;2;01/04/2020\n`).fileErrors).toEqual(['Deux colonnes pour quantité en stock : « QTE » et « Stock ». Gardez-en une.']);
  });

  it('stops at an unclosed quote, with its line', () => {
    const r = parse(`FINESS;CIP13;QTE;DATE\n${FINESS.chu};${CIP.cisatracurium};1;01/04/2020\n${FINESS.chu};"${CIP.propofol};1;01/04/2020\n${FINESS.chu};${CIP.midazolam};1;01/04/2020\n`);
    expect(r.rows.map((x) => x.line)).toEqual([2]);
    expect(r.errors).toEqual([{ line: 3, reasons: [expect.stringContaining('Guillemet ouvert')] }]);
  });
});
