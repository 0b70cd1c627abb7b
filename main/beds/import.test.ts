import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testTerritories } from '../store/testSupport';
import { bytesFromBase64, decodeImportBytes, demoteLines, parseBedCount, parseImport, type ImportContext } from './import';
import type { Figures } from '../../common/domain/beds/model';

const PITIE = '750100125';
const SAINT_JOSEPH = '750000523';
const QUIMPER = '290000025';

/** Current figures by `finess:unitId`, observed at `at` (by default an hour before the import's test lines). */
function context(current: Record<string, Figures & { at?: string }> = {}): ImportContext {
  const t = testTerritories();
  return {
    establishment: (f) => t.establishment(f),
    current: (f, u) => {
      const c = current[`${f}:${u}`];
      return c ? { at: '2020-03-24T08:00:00Z', ...c } : undefined;
    },
  };
}

/** The warnings other than the one about a missing observation-time column (said by its own test). */
const beyondTime = (w: Array<{ line: number; reason: string }>) => w.filter((x) => !x.reason.startsWith('Pas de colonne d’heure'));

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

describe('decoding the bytes of an extract', () => {
  it('reads UTF-8 as UTF-8', () => {
    expect(decodeImportBytes(utf8('Réanimation médicale'))).toEqual({ text: 'Réanimation médicale', encoding: 'utf-8' });
  });

  it('drops a UTF-8 byte-order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('FINESS;TYPE_UNITE')]);
    expect(decodeImportBytes(bytes)).toEqual({ text: 'FINESS;TYPE_UNITE', encoding: 'utf-8' });
  });

  it('falls back to Latin-1 when the bytes are not valid UTF-8 (é is 0xE9 there)', () => {
    const bytes = latin1('Réanimation médico-chirurgicale');
    expect(bytes[1]).toBe(0xe9);
    expect(decodeImportBytes(bytes)).toEqual({ text: 'Réanimation médico-chirurgicale', encoding: 'latin-1' });
  });
});

describe('bed counts in cells', () => {
  it('reads whole numbers, French decimal commas with a zero fraction, and trailing spaces', () => {
    expect(parseBedCount('12', 'NBR_LIT_DSP')).toEqual({ ok: true, value: 12 });
    expect(parseBedCount('12,0', 'NBR_LIT_DSP')).toEqual({ ok: true, value: 12 });
    expect(parseBedCount('12.00  ', 'NBR_LIT_DSP')).toEqual({ ok: true, value: 12 });
    expect(parseBedCount('  ', 'NBR_LIT_DSP')).toEqual({ ok: true, value: null });
  });

  it('refuses half beds, negatives, absurd figures and text, naming the column', () => {
    expect(parseBedCount('12,5', 'NBR_LIT_DSP')).toEqual({ ok: false, reason: 'NBR_LIT_DSP : « 12,5 » — nombre entier de lits attendu.' });
    expect(parseBedCount('-3', 'NBR_LIT_INS')).toEqual({ ok: false, reason: 'NBR_LIT_INS : un nombre de lits ne peut pas être négatif.' });
    expect(parseBedCount('301', 'NBR_LIT_INS')).toEqual({
      ok: false,
      reason: 'NBR_LIT_INS : plus de 300 lits dans une unité, valeur invraisemblable.',
    });
    expect(parseBedCount('douze', 'NBR_LIT_INS')).toEqual({ ok: false, reason: 'NBR_LIT_INS : « douze » n’est pas un nombre de lits.' });
  });
});

describe('reading a ROR extract', () => {
  it('reads a `;` file from Latin-1 bytes with a ROR label, decimal commas and trailing spaces', () => {
    const text =
      'COD_ROR_EG;LIB_TYPE_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP\r\n' +
      `${PITIE} ;Réanimation médico-chirurgicale ;40,0;36 ;8,0 \r\n` +
      `${SAINT_JOSEPH};USIC;12;12;3\r\n`;
    const { preview, reports } = parseImport('ror.csv', latin1(text), context());
    expect(preview).toMatchObject({ fileName: 'ror.csv', encoding: 'latin-1', separator: ';', lines: 2, errors: [] });
    // No date column: the figures are dated at the import, and marked so.
    expect(preview.warnings).toEqual([{ line: 1, reason: expect.stringMatching(/^Pas de colonne d’heure d’observation \(DATE_MAJ, .*marqués « heure d’observation inconnue »/) }]);
    // A note to read, not a jump to confirm.
    expect(preview.jumps).toBe(0);
    expect(reports.map((r) => r.observedAt)).toEqual([null, null]);
    expect(preview.valid).toEqual([
      { line: 2, finess: PITIE, establishmentName: 'HOSPITAL UNIVERSITAIRE PITIE SALPETRIERE', unitType: 'REA_MEDCHIR', installed: 40, staffed: 36, available: 8 },
      { line: 3, finess: SAINT_JOSEPH, establishmentName: 'GROUPE HOSPITALIER PARIS SAINT JOSEPH', unitType: 'SI_USIC', installed: 12, staffed: 12, available: 3 },
    ]);
    expect(reports.map((r) => r.jump)).toEqual([false, false]);
  });

  it('reads Windows-1252 punctuation in a Latin-1 file (’ is 0x92, as Excel writes it)', () => {
    const bytes = new Uint8Array([...latin1(`FINESS;TYPE_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP;COMMENTAIRE\n${PITIE};REA_MED;20;18;4;lit d`), 0x92, ...latin1('appoint')]);
    const { preview, reports } = parseImport('ror.csv', bytes, context());
    expect(preview.encoding).toBe('latin-1');
    expect(reports[0].comment).toBe('lit d’appoint');
    expect(decodeImportBytes(new Uint8Array([0x9c, 0x80, 0x85])).text).toBe('œ€…');
  });

  it('reads quoted decimal commas in a `,` file, and LF or CRLF line ends alike', () => {
    const text = 'FINESS,TYPE_UNITE,NBR_LIT_INS,NBR_LIT_ARM,NBR_LIT_DSP\r\n' + `${PITIE},REA_MED,"20,0","18,0","4,0"\n` + `${PITIE},REA_CHIR,"9,5",8,2\r\n`;
    const { preview } = parseImport('ror.csv', utf8(text), context());
    expect(preview.separator).toBe(',');
    expect(preview.valid.map((v) => [v.line, v.installed, v.staffed, v.available])).toEqual([[2, 20, 18, 4]]);
    expect(preview.errors).toEqual([{ line: 3, reason: 'NBR_LIT_INS : « 9,5 » — nombre entier de lits attendu.' }]);
  });

  it('refuses the real ROR IdF regional synthesis (per département, no establishment) on line 1, naming the missing columns', () => {
    const bytes = new Uint8Array(readFileSync(new URL('../../tests/fixtures/beds/ror_idf_synthese_2020-03-24.csv', import.meta.url)));
    const { preview, reports } = parseImport('ror_idf_synthese_2020-03-24.csv', bytes, context());
    expect(reports).toEqual([]);
    // Its `unit_type` column is recognised; the establishment and the bed counts are not there.
    expect(preview.errors.map((e) => e.reason)).toEqual([
      expect.stringMatching(/^Colonne obligatoire absente : établissement \(FINESS, NUM_FINESS/),
      expect.stringMatching(/^Colonne obligatoire absente : lits disponibles \(NBR_LIT_DSP/),
      expect.stringMatching(/^Colonne obligatoire absente : lits installés \(NBR_LIT_INS/),
    ]);
    expect(preview.errors.every((e) => e.line === 1)).toBe(true);
  });

  it('reads a `,` file in UTF-8 with a BOM and lower-case column names', () => {
    const text = '\ufeffnum_finess,unit_type,nbr_lit_ins,nbr_lit_arm,nbr_lit_dsp\n' + `${PITIE},REA_MED,20,18,4\n`;
    const { preview } = parseImport('ror.csv', utf8(text), context());
    expect(preview).toMatchObject({ encoding: 'utf-8', separator: ',', lines: 1, errors: [] });
    expect(preview.valid[0]).toMatchObject({ finess: PITIE, unitType: 'REA_MED', installed: 20, staffed: 18, available: 4 });
  });

  it('reports every bad line with its number and reason, and keeps the good ones apart', () => {
    const text = [
      'FINESS;TYPE_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP',
      `${PITIE};REA_MED;20;18;4`, // 2 ok
      '999999999;REA_MED;20;18;4', // 3 unknown establishment
      `${PITIE};Réanimation vétérinaire;20;18;4`, // 4 unknown unit type
      `${SAINT_JOSEPH};USIC;12,5;12;3`, // 5 half bed
      `${SAINT_JOSEPH};USINV;10;;-1`, // 6 negative
      `${SAINT_JOSEPH};REA_CHIR;10;8;9`, // 7 available over staffed
      `${SAINT_JOSEPH};REA_PED;;8;2`, // 8 installed missing
      `${PITIE};REA_MED;20;18;5`, // 9 same unit as line 2
      `75-ABC;REA_MED;20;18;5`, // 10 not a FINESS
    ].join('\n');
    const { preview, reports } = parseImport('ror.csv', utf8(text), context());
    expect(preview.lines).toBe(9);
    expect(preview.valid.map((v) => v.line)).toEqual([2]);
    expect(reports.map((r) => r.line)).toEqual([2]);
    expect(preview.errors).toEqual([
      { line: 3, reason: 'Établissement inconnu du référentiel FINESS : 999999999.' },
      { line: 4, reason: 'Type d’unité inconnu : Réanimation vétérinaire.' },
      { line: 5, reason: 'NBR_LIT_INS : « 12,5 » — nombre entier de lits attendu.' },
      { line: 6, reason: 'NBR_LIT_DSP : un nombre de lits ne peut pas être négatif.' },
      { line: 7, reason: 'Lits disponibles (9) supérieurs aux lits armés (8) : un lit vide n’est disponible que s’il est armé.' },
      { line: 8, reason: 'NBR_LIT_INS : valeur absente.' },
      { line: 9, reason: 'Même unité du même établissement qu’à la ligne 2.' },
      { line: 10, reason: 'Numéro FINESS invalide : « 75-ABC » (9 caractères attendus).' },
    ]);
  });

  it('puts back the leading zero a spreadsheet dropped, when that names a known establishment, with a warning', () => {
    const text = ['FINESS;TYPE_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP', '10000024;REA_MED;20;18;4', '99999999;REA_MED;20;18;4'].join('\n');
    const { preview } = parseImport('ror.csv', utf8(text), context());
    expect(preview.valid.map((v) => [v.line, v.finess, v.establishmentName])).toEqual([[2, '010000024', 'CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT']]);
    expect(beyondTime(preview.warnings)).toEqual([{ line: 2, reason: expect.stringMatching(/^Numéro FINESS « 10000024 » lu comme 010000024 : zéro initial rétabli/) }]);
    expect(preview.errors).toEqual([{ line: 3, reason: 'Numéro FINESS invalide : « 99999999 » (9 caractères attendus).' }]);
  });

  it('accepts a COD_ROR_EG only when it is a FINESS number', () => {
    const text = ['COD_ROR_EG;TYPE_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP', `${PITIE};REA_MED;20;18;4`, 'EG-0042;REA_MED;20;18;4'].join('\n');
    const { preview } = parseImport('ror.csv', utf8(text), context());
    expect(preview.valid.map((v) => v.line)).toEqual([2]);
    expect(preview.errors).toEqual([
      { line: 3, reason: expect.stringMatching(/^Code ROR d’établissement « EG-0042 » : seul un code égal au numéro FINESS/) },
    ]);
  });

  it('warns about a jump of more than 4 beds from the current figures, and flags the line', () => {
    const text = ['FINESS;TYPE_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP', `${PITIE};REA_MED;20;18;9`, `${QUIMPER};REA_MED;10;10;2`].join('\n');
    const current = { [`${PITIE}:REA_MED`]: { installed: 20, staffed: 18, available: 4 }, [`${QUIMPER}:REA_MED`]: { installed: 10, staffed: 10, available: 6 } };
    const { preview, reports } = parseImport('ror.csv', utf8(text), context(current));
    expect(preview.errors).toEqual([]);
    expect(preview.jumps).toBe(1);
    expect(beyondTime(preview.warnings)).toEqual([{ line: 2, reason: 'Variation de 5 lits depuis le dernier relevé (plus de 4) : confirmez ces chiffres.' }]);
    expect(reports.map((r) => [r.line, r.jump])).toEqual([
      [2, true],
      [3, false],
    ]);
  });

  it('without a staffed column: staffed = available + occupied where COVID+/− are given, else installed, and says so', () => {
    const text = [
      'FINESS;TYPE_UNITE;NBR_LIT_INS;NBR_LIT_DSP;NBR_LIT_OCC_COVID_POS;NBR_LIT_OCC_COVID_NEG',
      `${PITIE};REA_MED;30;4;12;6`, // staffed 22
      `${PITIE};REA_CHIR;20;3;;`, // staffed = installed 20
      `${SAINT_JOSEPH};REA_MED;10;4;5;3`, // 12 staffed > 10 installed: 2 surge beds
      `${SAINT_JOSEPH};REA_CHIR;10;4;5;`, // only COVID− missing: staffed = installed 10
    ].join('\n');
    const { preview } = parseImport('ror.csv', utf8(text), context());
    expect(preview.valid.map((v) => [v.line, v.staffed])).toEqual([
      [2, 22],
      [3, 20],
      [4, 12],
      [5, 10],
    ]);
    expect(preview.errors).toEqual([]);
    // Each line says what it lacks: both occupied counts on one, COVID− only on the other.
    expect(beyondTime(preview.warnings)).toEqual([
      {
        line: 1,
        reason:
          'Colonne des lits armés (NBR_LIT_ARM) absente : lits armés = disponibles + occupés COVID+/− sur 2 ligne(s), et pris égaux aux lits ' +
          'installés sur 2 ligne(s) (1 ligne(s) sans lits occupés, 1 ligne(s) sans lits occupés COVID−) — à vérifier.',
      },
      {
        line: 1,
        reason:
          'Lits armés au-delà des lits installés sur 1 ligne(s), sans colonne de lits de renfort : ces 2 lits sont comptés comme lits de renfort (ouverts au-delà de la capacité déclarée).',
      },
    ]);
  });

  it('reads 2020 labels with their marks, surge, reserved and closed columns', () => {
    const text = [
      'FINESS;LIB_TYPE_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP;NBR_LIT_RENFORT;NBR_LIT_RESERVE;NBR_LIT_FERME',
      `${PITIE};Réanimation COVID19 +;20;30;2;10;1;0`,
      `${PITIE};Réanimation COVID19 -;12;12;3;;;2`,
      `${PITIE};SSPI transformée en réanimation;0;8;1;8;;`,
      `${SAINT_JOSEPH};Réanimation COVID19 +;10;20;2;4;;`,
    ].join('\n');
    const { preview, reports } = parseImport('ror.csv', utf8(text), context());
    expect(reports.map((r) => [r.line, r.unitType, r.unitId, r.unitName, r.assignment, r.temporary, r.surge, r.ror])).toEqual([
      [2, 'REA_MEDCHIR', 'REA_MEDCHIR COVID+', 'Réanimation COVID19 +', 'covid+', false, 10, { reserved: 1, closed: 0 }],
      // 12 staffed of 12 installed with 2 closed: 2 surge beds, counted so by the mutator.
      [3, 'REA_MEDCHIR', 'REA_MEDCHIR COVID-', 'Réanimation COVID19 -', 'covid-', false, null, { closed: 2 }],
      [4, 'REA_MEDCHIR', 'REA_MEDCHIR TEMP', 'SSPI transformée en réanimation', null, true, 8, null],
    ]);
    // 20 staffed, 10 installed and 4 surge beds said: impossible by the extract's own figures.
    expect(preview.errors).toEqual([{ line: 5, reason: 'Lits armés (20) supérieurs aux lits ouverts (10 installés + 4 de renfort).' }]);
    expect(beyondTime(preview.warnings)).toEqual([{ line: 1, reason: expect.stringMatching(/^Lits armés au-delà des lits installés sur 1 ligne\(s\)/) }]);
  });

  it('reads the optional extra capacity and comment columns and checks them', () => {
    const text = [
      'FINESS;TYPE_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP;NBR_LIT_SUPP_24H;NBR_LIT_SUPP_72H;COMMENTAIRE',
      `${PITIE};REA_MED;30;22;4;2;6;"Ouverture ; salle B"`,
      `${PITIE};REA_CHIR;20;20;3;6;2;`,
    ].join('\n');
    const { preview, reports } = parseImport('ror.csv', utf8(text), context());
    expect(reports[0]).toMatchObject({ extra24h: 2, extra72h: 6, comment: 'Ouverture ; salle B' });
    expect(preview.errors).toEqual([{ line: 3, reason: 'Capacité supplémentaire à 24 h (6) supérieure à celle à 72 h (2) : celle à 72 h l’inclut.' }]);
  });

  it('two units of one type in one establishment are told apart by their unit id, and named', () => {
    const text = [
      'FINESS;TYPE_UNITE;ID_UNITE;LIB_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP',
      `${PITIE};REA_MED;94/666;Babinski;20;18;4`,
      `${PITIE};REA_MED;94/667;Réa Gosset;12;12;1`,
      `${PITIE};REA_CHIR;;;10;10;2`,
      `${PITIE};REA_MED;94/666;Babinski bis;20;18;3`,
    ].join('\n');
    const { preview, reports } = parseImport('ror.csv', utf8(text), context());
    expect(reports.map((r) => [r.line, r.unitType, r.unitId, r.unitName])).toEqual([
      [2, 'REA_MED', '94/666', 'Babinski'],
      [3, 'REA_MED', '94/667', 'Réa Gosset'],
      // No unit id: one unit per type, its id the type's code.
      [4, 'REA_CHIR', 'REA_CHIR', null],
    ]);
    expect(preview.errors).toEqual([{ line: 5, reason: 'Même unité du même établissement qu’à la ligne 2.' }]);
  });

  it('reads the observation time (ISO with offset, or Paris wall-clock time) and refuses unreadable or future times', () => {
    const now = Date.parse('2020-04-02T12:00:00Z');
    const text = [
      'FINESS;TYPE_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP;DATE_MAJ',
      `${PITIE};REA_MED;20;18;4;2020-04-01T08:30:00+02:00`,
      `${PITIE};REA_CHIR;10;10;2;01/04/2020 20:00`, // Paris summer time: +02:00
      `${PITIE};REA_PED;8;8;1;24/03/2020 08:30`, // winter time: +01:00
      `${PITIE};USC_MED;8;8;1;`, // empty: not dated by the extract
      `${QUIMPER};REA_MED;10;10;2;hier soir`,
      `${QUIMPER};REA_CHIR;10;10;2;02/04/2020 16:00`, // 14:00 UTC, two hours ahead
    ].join('\n');
    const { preview, reports } = parseImport('ror.csv', utf8(text), { ...context(), now });
    expect(reports.map((r) => [r.line, r.observedAt])).toEqual([
      [2, '2020-04-01T08:30:00+02:00'],
      [3, '2020-04-01T20:00:00+02:00'],
      [4, '2020-03-24T08:30:00+01:00'],
      [5, null],
    ]);
    expect(preview.errors).toEqual([
      { line: 6, reason: expect.stringMatching(/^DATE_MAJ : « hier soir » — heure d’observation attendue/) },
      { line: 7, reason: 'DATE_MAJ : « 02/04/2020 16:00 » est dans le futur — vérifiez la colonne de date de l’extrait.' },
    ]);
    expect(preview.warnings).toEqual([]);
  });

  it('figures older than the current ones are no jump: they go to the history', () => {
    const text = ['FINESS;TYPE_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP;DATE_MAJ', `${PITIE};REA_MED;20;18;12;2020-03-24T07:00:00Z`, `${PITIE};REA_CHIR;20;18;12;2020-03-24T09:00:00Z`].join('\n');
    const current = { [`${PITIE}:REA_MED`]: { installed: 20, staffed: 18, available: 4 }, [`${PITIE}:REA_CHIR`]: { installed: 20, staffed: 18, available: 4 } };
    const { reports } = parseImport('ror.csv', utf8(text), { ...context(current), now: Date.parse('2020-03-24T12:00:00Z') });
    expect(reports.map((r) => [r.unitType, r.jump])).toEqual([
      ['REA_MED', false],
      ['REA_CHIR', true],
    ]);
  });

  it('a file without a required column is one error on line 1, and nothing is read', () => {
    const text = ['FINESS;TYPE_UNITE;NBR_LIT_INS', `${PITIE};REA_MED;30`].join('\n');
    const { preview, reports } = parseImport('ror.csv', utf8(text), context());
    expect(reports).toEqual([]);
    expect(preview.errors).toEqual([{ line: 1, reason: 'Colonne obligatoire absente : lits disponibles (NBR_LIT_DSP, LITS_DISPONIBLES, AVAILABLE).' }]);
  });

  it('a header without data lines is an error', () => {
    const { preview } = parseImport('vide.csv', utf8('FINESS;TYPE_UNITE;NBR_LIT_INS;NBR_LIT_DSP\r\n'), context());
    expect(preview.errors).toEqual([{ line: 1, reason: 'Fichier vide : aucune ligne de données après l’en-tête.' }]);
  });

  it('demoting lines (a rule only the store knows) moves them from valid to errors, in line order', () => {
    const text = ['FINESS;TYPE_UNITE;NBR_LIT_INS;NBR_LIT_ARM;NBR_LIT_DSP', `${PITIE};REA_MED;20;18;4`, `${QUIMPER};REA_MED;-1;0;0`, `${QUIMPER};REA_CHIR;9;9;1`].join('\n');
    const parsed = parseImport('ror.csv', utf8(text), context());
    const out = demoteLines(parsed, new Map([[4, 'Hors de votre périmètre.']]));
    expect(out.reports.map((r) => r.line)).toEqual([2]);
    expect(out.preview.valid.map((v) => v.line)).toEqual([2]);
    expect(out.preview.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(out.preview.jumps).toBe(0);
  });
});

describe('base64 from the bridge', () => {
  it('decodes valid base64 and refuses anything else', () => {
    expect(Buffer.from(bytesFromBase64(Buffer.from('é;1', 'latin1').toString('base64')) ?? []).toString('latin1')).toBe('é;1');
    expect(bytesFromBase64('pas du base64 !')).toBeNull();
  });
});
