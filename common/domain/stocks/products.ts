/**
 * The medicines referential of the stocks board (issue 9): the five molecules rationed in
 * spring 2020 and their injectable presentations, read from the bundled BDPM extract
 * (`resources/medicines/bdpm_2017_5_molecules.csv`, provenance beside it). Runs anywhere:
 * each process reads the file its own way and hands the text to `productsFromCsv`.
 *
 * Quantities are counted in units of a presentation (one ampoule, one flacon, one seringue),
 * never in boxes; every presentation knows the milligrams of active substance in one unit,
 * so per-molecule totals are given in units and in mg.
 */
import { csvObjects, parseCsv } from '../../csv';

/** The bundled file, inside `resources/medicines/`. */
export const MEDICINES_FILE = 'bdpm_2017_5_molecules.csv';

export const MOLECULE_CODES = ['midazolam', 'propofol', 'cisatracurium', 'atracurium', 'rocuronium'] as const;
export type MoleculeCode = (typeof MOLECULE_CODES)[number];
export type MoleculeClass = 'hypnotique' | 'curare';

export interface Molecule {
  code: MoleculeCode;
  /** French name as people write it (« Midazolam »). */
  label: string;
  class: MoleculeClass;
}

export const MOLECULES: readonly Molecule[] = [
  { code: 'midazolam', label: 'Midazolam', class: 'hypnotique' },
  { code: 'propofol', label: 'Propofol', class: 'hypnotique' },
  { code: 'cisatracurium', label: 'Cisatracurium', class: 'curare' },
  { code: 'atracurium', label: 'Atracurium', class: 'curare' },
  { code: 'rocuronium', label: 'Rocuronium', class: 'curare' },
];

export function isMoleculeCode(s: string): s is MoleculeCode {
  return (MOLECULE_CODES as readonly string[]).includes(s);
}

/** What one counted unit of a presentation is. */
export type UnitKind = 'ampoule' | 'flacon' | 'seringue';

export interface Presentation {
  /** CIP13: the presentation's (box's) code, the key of a stock line. */
  cip13: string;
  cis: string;
  molecule: MoleculeCode;
  /** The specialty's name (« NIMBEX 2 mg/ml, solution injectable/pour perfusion »). */
  specialty: string;
  /** The box as BDPM words it (« 5 ampoule(s) en verre de 2,5 ml »). */
  presentation: string;
  /** A short label a pharmacist recognises: specialty's first words, strength and unit (« NIMBEX 2 mg/ml — ampoule 2,5 ml, boîte de 5 »). */
  label: string;
  unitKind: UnitKind;
  unitsPerBox: number;
  /** Volume of one unit in ml (null when BDPM does not say). */
  volumeMl: number | null;
  /** Milligrams of active substance in one unit. */
  mgPerUnit: number;
  /** False when its marketing was declared stopped (kept: a pharmacy may still hold some). */
  marketed: boolean;
}

export interface ExcludedLine {
  line: number;
  reason: string;
}

export interface ProductsParse {
  presentations: Presentation[];
  excluded: ExcludedLine[];
}

/** « 2,5 » → 2.5; null when not a number. */
function frNumber(s: string): number | null {
  const n = Number.parseFloat(s.replace(/\s/g, '').replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

const UNIT_OF: ReadonlyArray<[RegExp, UnitKind]> = [
  [/^ampoule/, 'ampoule'],
  [/^flacon/, 'flacon'],
  [/^seringue/, 'seringue'],
];

/**
 * Reads one BDPM line into a presentation, or says why it cannot be used. The milligrams of a
 * unit come from the dosage and what it refers to: per millilitre (« 1 ml », « 1 ml de
 * solution », « 1ml ») times the unit's volume, or per unit (« une ampoule », « un flacon »).
 */
export function parsePresentation(row: Record<string, string>): Presentation | string {
  const molecule = (row.molecule ?? '').trim();
  if (!isMoleculeCode(molecule)) return `molécule inconnue « ${molecule} »`;
  const cip13 = (row.cip13 ?? '').trim();
  if (!/^\d{13}$/.test(cip13)) return `CIP13 invalide « ${cip13} »`;
  const pres = (row.presentation ?? '').trim();
  const box = /^(\d+)\s+([a-zé]+)\(s\)/i.exec(pres);
  if (!box) return `présentation illisible « ${pres} »`;
  const unitsPerBox = Number(box[1]);
  const unitKind = UNIT_OF.find(([re]) => re.test(box[2].toLowerCase()))?.[1];
  if (!unitKind) return `unité de comptage inconnue « ${box[2]} »`;
  if (unitsPerBox < 1) return `nombre d’unités par boîte nul`;
  const vol = /de\s+([\d]+(?:,\d+)?)\s*ml/i.exec(pres);
  const volumeMl = vol ? frNumber(vol[1]) : null;
  const dose = /^([\d]+(?:,\d+)?)\s*mg$/i.exec((row.dosage ?? '').trim());
  if (!dose) return `dosage illisible « ${row.dosage ?? ''} »`;
  const mg = frNumber(dose[1]);
  if (mg === null || mg <= 0) return `dosage nul « ${row.dosage ?? ''} »`;
  const ref = (row.reference_dosage ?? '').trim().toLowerCase();
  let mgPerUnit: number;
  if (/^1\s*ml\b/.test(ref) || /^1ml$/.test(ref)) {
    if (volumeMl === null) return `dosage par ml sans volume d’unité (« ${pres} »)`;
    mgPerUnit = Math.round(mg * volumeMl * 1000) / 1000;
  } else if (/^une? (ampoule|flacon|seringue)/.test(ref)) {
    mgPerUnit = mg;
  } else {
    return `référence de dosage inconnue « ${row.reference_dosage ?? ''} »`;
  }
  const specialty = (row.specialite ?? '').trim();
  const name = specialty.split(/,\s/)[0].trim();
  const volText = volumeMl === null ? '' : ` ${String(volumeMl).replace('.', ',')} ml`;
  return {
    cip13,
    cis: (row.cis ?? '').trim(),
    molecule,
    specialty,
    presentation: pres.replace(/\s+/g, ' '),
    label: `${name} — ${unitKind}${volText}, boîte de ${unitsPerBox}`,
    unitKind,
    unitsPerBox,
    volumeMl,
    mgPerUnit,
    marketed: !/arr[êe]t/i.test(row.etat_commercialisation_presentation ?? ''),
  };
}

/** Reads the whole file: every usable line, and each excluded one with its line number and reason. */
export function parseProductsCsv(text: string): ProductsParse {
  const presentations: Presentation[] = [];
  const excluded: ExcludedLine[] = [];
  const seen = new Set<string>();
  for (const row of csvObjects(parseCsv(text, ','))) {
    const line = Number(row._line);
    const p = parsePresentation(row);
    if (typeof p === 'string') excluded.push({ line, reason: p });
    else if (seen.has(p.cip13)) excluded.push({ line, reason: `CIP13 ${p.cip13} en double` });
    else {
      seen.add(p.cip13);
      presentations.push(p);
    }
  }
  return { presentations, excluded };
}

/** The referential as the board uses it: lookups by CIP13 and by molecule, in a stable order. */
export class Products {
  private readonly byCip = new Map<string, Presentation>();
  readonly molecules: readonly Molecule[] = MOLECULES;

  constructor(readonly presentations: readonly Presentation[]) {
    for (const p of presentations) this.byCip.set(p.cip13, p);
  }

  presentation(cip13: string): Presentation | undefined {
    return this.byCip.get(cip13);
  }

  molecule(code: string): Molecule | undefined {
    return MOLECULES.find((m) => m.code === code);
  }

  /** A molecule's presentations, marketed first, then by label. */
  of(molecule: MoleculeCode): Presentation[] {
    return this.presentations
      .filter((p) => p.molecule === molecule)
      .sort((a, b) => Number(b.marketed) - Number(a.marketed) || a.label.localeCompare(b.label, 'fr'));
  }
}

export function productsFromCsv(text: string): Products {
  return new Products(parseProductsCsv(text).presentations);
}
