/**
 * The referential of critical-care unit types: the real ROR labels (as in the ROR
 * Île-de-France "synthèse régionale"), grouped as crisis cells read them, and mapped to
 * EDXL-HAVE 2.0 bed types (AdultICU, PediatricICU, NeonatalICU, Burn; the others travel as
 * extensions, since HAVE has no such types). Defined once, here.
 */
export type UnitGroup = 'reanimation' | 'soins_intensifs' | 'surveillance_continue';

export interface UnitTypeDef {
  code: string;
  /** French label shown in Vigie. */
  label: string;
  /** Short label for dense tables. */
  short: string;
  /** The ROR's own label in its regional synthesis and extracts. */
  rorLabel: string;
  group: UnitGroup;
  /** EDXL-HAVE bed type, or an extension name (`vigie:…`) where HAVE has none. */
  have: { type: 'AdultICU' | 'PediatricICU' | 'NeonatalICU' | 'Burn' } | { extension: string };
}

export const UNIT_GROUPS: Array<{ code: UnitGroup; label: string }> = [
  { code: 'reanimation', label: 'Réanimation' },
  { code: 'soins_intensifs', label: 'Soins intensifs' },
  { code: 'surveillance_continue', label: 'Surveillance continue' },
];

export const UNIT_TYPES: readonly UnitTypeDef[] = [
  { code: 'REA_MED', label: 'Réanimation médicale', short: 'Réa méd.', rorLabel: 'Réanimations médicales', group: 'reanimation', have: { type: 'AdultICU' } },
  { code: 'REA_CHIR', label: 'Réanimation chirurgicale', short: 'Réa chir.', rorLabel: 'Réanimations chirurgicales', group: 'reanimation', have: { type: 'AdultICU' } },
  { code: 'REA_MEDCHIR', label: 'Réanimation médico-chirurgicale', short: 'Réa méd.-chir.', rorLabel: 'Réanimation médico-chirurgicale', group: 'reanimation', have: { type: 'AdultICU' } },
  { code: 'REA_PED', label: 'Réanimation pédiatrique', short: 'Réa péd.', rorLabel: 'Réanimation médico-chirurgicale pédiatrique', group: 'reanimation', have: { type: 'PediatricICU' } },
  { code: 'REA_NEONAT', label: 'Réanimation néonatale', short: 'Réa néonat.', rorLabel: 'Réanimation néonatale', group: 'reanimation', have: { type: 'NeonatalICU' } },
  { code: 'REA_BRULES', label: 'Réanimation des brûlés', short: 'Brûlés', rorLabel: 'Réanimation brûlés', group: 'reanimation', have: { type: 'Burn' } },
  { code: 'SI_USIC', label: 'Soins intensifs de cardiologie (USIC)', short: 'USIC', rorLabel: 'USIC', group: 'soins_intensifs', have: { extension: 'vigie:USIC' } },
  { code: 'SI_USINV', label: 'Soins intensifs neurovasculaires (USINV)', short: 'USINV', rorLabel: 'USINV', group: 'soins_intensifs', have: { extension: 'vigie:USINV' } },
  { code: 'SI_NEONAT', label: 'Soins intensifs de néonatologie', short: 'SI néonat.', rorLabel: 'Soins intensifs de néonatologie', group: 'soins_intensifs', have: { extension: 'vigie:SoinsIntensifsNeonatologie' } },
  { code: 'SI_SPE', label: 'Soins intensifs spécialisés', short: 'SI spé.', rorLabel: 'Soins intensifs spécialisés', group: 'soins_intensifs', have: { extension: 'vigie:SoinsIntensifsSpecialises' } },
  { code: 'USC_MED', label: 'Surveillance continue — médecine', short: 'USC méd.', rorLabel: 'Unité de Surveillance Continue (USC) médecine', group: 'surveillance_continue', have: { extension: 'vigie:USCMedecine' } },
  { code: 'USC_CHIR', label: 'Surveillance continue — chirurgie', short: 'USC chir.', rorLabel: 'Unité de Surveillance Continue (USC) chirurgie', group: 'surveillance_continue', have: { extension: 'vigie:USCChirurgie' } },
  { code: 'USC_POLY', label: 'Surveillance continue — polyvalente', short: 'USC poly.', rorLabel: 'Unité de Surveillance Continue (USC) médecine et chirurgie (polyvalente)', group: 'surveillance_continue', have: { extension: 'vigie:USCPolyvalente' } },
  { code: 'USC_PED', label: 'Surveillance continue — pédiatrie', short: 'USC péd.', rorLabel: 'Unité de Surveillance Continue (USC) pédiatrie', group: 'surveillance_continue', have: { extension: 'vigie:USCPediatrie' } },
];

export const UNIT_TYPE_CODES = UNIT_TYPES.map((u) => u.code) as [string, ...string[]];

const byCode = new Map(UNIT_TYPES.map((u) => [u.code, u]));
const byLabel = new Map<string, UnitTypeDef>();
for (const u of UNIT_TYPES) {
  for (const l of [u.code, u.label, u.short, u.rorLabel]) byLabel.set(normaliseLabel(l), u);
}

export function unitType(code: string): UnitTypeDef | undefined {
  return byCode.get(code);
}

/**
 * How a unit is named to people: its type's label, then its own name (or its id, when a
 * source gave an id and no name) where it has one, so two medical ICUs of one hospital
 * read apart: `Réanimation médicale — Babinski`.
 */
export function unitLabel(u: { unitType: string; unitId: string; unitName: string | null }, short = false): string {
  const def = byCode.get(u.unitType);
  const type = (short ? def?.short : def?.label) ?? u.unitType;
  const own = u.unitName ?? (u.unitId !== u.unitType ? u.unitId : null);
  return own ? `${type} — ${own}` : type;
}

/** Resolves a unit type from a code, a Vigie label or a ROR label (case, accents and spacing ignored). */
export function unitTypeFromLabel(text: string): UnitTypeDef | undefined {
  return byLabel.get(normaliseLabel(text));
}

/** A unit label as registers and 2020 extracts wrote it: its type, and the marks the label carries. */
export interface ResolvedUnitLabel {
  type: UnitTypeDef;
  /** « Réanimation COVID19 + » / « COVID19 - »: the unit's beds are set aside for COVID+ or COVID− patients. */
  assignment: 'covid+' | 'covid-' | null;
  /** A unit opened for the crisis: a recovery room (SSPI, salle de réveil) or an operating theatre used as an ICU, an « éphémère » unit. */
  temporary: boolean;
}

const COVID_MARK = /\bcovid[\s-]*(?:19)?\s*(\+|-|−|positifs?|negatifs?|pos|neg)(?=\s|$|\))/;
const TEMPORARY_MARK = /\b(sspi|salles? de reveil|salles? de surveillance post[\s-]?interventionnelle|bloc operatoire|blocs operatoires|ephemere|temporaire|transformee?s?|convertie?s?|de circonstance)\b/;
/** The adult ICU a label names when it says only « réanimation » (with a mark, or a recovery room). */
const GENERIC_ICU = 'REA_MEDCHIR';

/**
 * Resolves a label as 2020 extracts and registers wrote it: a referential label, or one with a
 * COVID mark (`Réanimation COVID19 +` → adult réanimation, COVID+) or naming a recovery room
 * used as an ICU (`SSPI transformée en réanimation` → adult réanimation, temporary). A plain
 * label resolves as `unitTypeFromLabel` does, with no mark. Undefined: not a critical-care unit.
 */
export function resolveUnitLabel(text: string): ResolvedUnitLabel | undefined {
  const plain = unitTypeFromLabel(text);
  if (plain) return { type: plain, assignment: null, temporary: false };
  const n = normaliseLabel(text.replace(/−/g, '-').replace(/\+/g, ' + ').replace(/(\d)\s*-/g, '$1 - '));
  const raw = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/−/g, '-');
  const covid = COVID_MARK.exec(raw);
  const assignment = covid ? (/^(\+|pos)/.test(covid[1]) ? 'covid+' : 'covid-') : null;
  const temporary = TEMPORARY_MARK.test(n);
  if (!assignment && !temporary) {
    const worded = typeFromWords(n);
    return worded ? { type: worded, assignment: null, temporary: false } : undefined;
  }
  // What is left once the marks are taken out, if it names a type (« USC COVID+ »).
  const rest = normaliseLabel(raw.replace(COVID_MARK, ' ').replace(/\((.*?)\)/g, ' $1 '));
  const named = byLabel.get(rest) ?? typeFromWords(rest) ?? (/\b(reanimation|rea)\b/.test(n) || temporary ? byCode.get(GENERIC_ICU) : undefined);
  return named ? { type: named, assignment, temporary } : undefined;
}

/**
 * A unit's own name as registers write it (« UNITE DE SURVEILLANCE CONTINUE CHIR », « REA
 * NEONAT », « USI cardiologie »): the kind of unit from its words, the speciality from the
 * rest. A kind without a speciality takes the polyvalent one (USC polyvalente, réanimation
 * médico-chirurgicale, soins intensifs spécialisés). Undefined: no critical-care word.
 */
function typeFromWords(n: string): UnitTypeDef | undefined {
  const has = (re: RegExp) => re.test(n);
  let code: string | undefined;
  if (has(/\b(surveillance continue|usc)\b/)) {
    code = has(/\bped/) ? 'USC_PED' : has(/\bpoly/) ? 'USC_POLY' : has(/\bchir/) ? 'USC_CHIR' : has(/\bmed/) ? 'USC_MED' : 'USC_POLY';
  } else if (has(/\b(soins intensifs|usi|usic|usinv)\b/)) {
    code = has(/\b(cardio|usic)/) ? 'SI_USIC' : has(/\b(neuro|usinv)/) ? 'SI_USINV' : has(/\bneonat/) ? 'SI_NEONAT' : 'SI_SPE';
  } else if (has(/\b(reanimation|rea)\b/)) {
    code = has(/\bneonat/)
      ? 'REA_NEONAT'
      : has(/\bped/)
        ? 'REA_PED'
        : has(/\bbrul/)
          ? 'REA_BRULES'
          : has(/\bmed\w* chir|\bpoly/)
            ? 'REA_MEDCHIR'
            : has(/\bchir/)
              ? 'REA_CHIR'
              : has(/\bmed/)
                ? 'REA_MED'
                : // « Réanimation », « Service de réanimation adulte »: polyvalent; any other word is not ours to guess.
                  n.replace(/\b(unite|service|de|du|des|d|la|le|adultes?|reanimations?|rea)\b/g, '').trim() === ''
                  ? 'REA_MEDCHIR'
                  : undefined;
  }
  return code ? byCode.get(code) : undefined;
}

/**
 * The unit a marked label names when the sender gives no unit id: its type's code and its
 * marks (`REA_MEDCHIR COVID+`, `REA_MEDCHIR TEMP`), so an establishment's COVID+ and COVID−
 * réanimations of 2020 stay two units. Unmarked: the type's code (one unit per type).
 */
export function defaultUnitId(r: ResolvedUnitLabel): string {
  return [r.type.code, r.assignment?.toUpperCase(), r.temporary ? 'TEMP' : undefined].filter(Boolean).join(' ');
}

function normaliseLabel(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
