/**
 * The bed board's demo data: a first report per unit for 14 Île-de-France and 4 Breton
 * establishments, each by the establishment's own account (created here, same password as
 * the demo users); critical-care units in every département of the referential, imported
 * by the national cell (`nationalDemoUnits`); and, when the operator gives one, a known
 * register feed key bound to R:11. Reports are seeded once, when the database has no unit
 * report.
 */
import { randomUUID } from 'node:crypto';
import type { UnitReportArgs } from '../../../common/domain/beds/model';
import type { bedMutators } from '../../../common/domain/beds/mutators';
import type { Territories } from '../../../common/territory';
import type { DemoContext, DemoUser } from '../board';
import { apiKeyFromHeader, createFeedKey, hashFeedKey } from './feedKeys';
import type { BedsStore } from './store';
import { seededRandom } from '../../../common/seeded';

/**
 * The establishments' own accounts for the seeded bed reports (same password as the demo
 * users; not listed at start-up to keep that line short). Pitié-Salpêtrière reports through
 * the `pitie` demo user.
 */
export const DEMO_BED_REPORTERS: readonly DemoUser[] = [
  { username: 'bichat', role: 'establishment:750100232', displayName: 'Cadre de santé — Réanimation, Bichat' },
  { username: 'saint-antoine', role: 'establishment:750100091', displayName: 'Cadre de santé — Réanimation, Saint-Antoine' },
  { username: 'hegp', role: 'establishment:750803447', displayName: 'Cadre de santé — Réanimation, HEGP' },
  { username: 'necker', role: 'establishment:750100208', displayName: 'Cadre de santé — Réanimation pédiatrique, Necker' },
  { username: 'mondor', role: 'establishment:940100027', displayName: 'Cadre de santé — Réanimation, Henri-Mondor' },
  { username: 'bicetre', role: 'establishment:940100043', displayName: 'Cadre de santé — Réanimation, Bicêtre' },
  { username: 'avicenne', role: 'establishment:930100037', displayName: 'Cadre de santé — Réanimation, Avicenne' },
  { username: 'ambroise-pare', role: 'establishment:920100013', displayName: 'Cadre de santé — Réanimation, Ambroise-Paré' },
  { username: 'beaujon', role: 'establishment:920100039', displayName: 'Cadre de santé — Réanimation, Beaujon' },
  { username: 'ch-versailles', role: 'establishment:780800256', displayName: 'Cadre de santé — Réanimation, CH de Versailles' },
  { username: 'ch-sud-francilien', role: 'establishment:910020254', displayName: 'Cadre de santé — Réanimation, CH Sud Francilien' },
  { username: 'ch-meaux', role: 'establishment:770000446', displayName: 'Cadre de santé — Réanimation, CH de Meaux' },
  { username: 'ch-pontoise', role: 'establishment:950000364', displayName: 'Cadre de santé — Réanimation, CH René-Dubos' },
  { username: 'chu-brest', role: 'establishment:290004324', displayName: 'Cadre de santé — Réanimation, CHU de Brest' },
  { username: 'ch-quimper', role: 'establishment:290000025', displayName: 'Cadre de santé — Réanimation, CH de Quimper' },
  { username: 'chu-rennes', role: 'establishment:350000741', displayName: 'Cadre de santé — Réanimation, CHU de Rennes' },
  { username: 'ch-saint-malo', role: 'establishment:350000147', displayName: 'Cadre de santé — Réanimation, CH de Saint-Malo' },
];

/** [unit type, installed, staffed, available, COVID+, COVID−, hours ago, comment?] */
type SeedUnit = [string, number, number, number, number | null, number | null, number, string?];

/**
 * A first report per unit, by the establishment's own account. Figures follow the ROR
 * Île-de-France synthesis of 2020-03-24 (tests/fixtures/beds): each département's available
 * beds here (the national complement below aside: its Île-de-France units are nearly full) stay within its total there (Paris: 5 in réanimation médicale, 9 chirurgicale,
 * 12 médico-chirurgicale, 1 pédiatrique, 11 USINV…), availability is tight and a few units
 * are full. The units the ROR listed as "not reported" (Val-d'Oise) and a few others were
 * last reported 30 h ago, past the default 24 h, so the stale marking shows. Pitié's
 * réanimation médicale is left for the demo user's own first report (and the integration
 * tests that make it).
 */
const DEMO_BEDS: ReadonlyArray<{ author: string; finess: string; units: SeedUnit[] }> = [
  {
    author: 'pitie',
    finess: '750100125',
    units: [
      ['REA_CHIR', 16, 16, 2, 8, 6, 2, 'Deux sorties vers la SSPI prévues ce soir'],
      ['SI_USINV', 14, 12, 3, null, null, 3],
      ['SI_USIC', 16, 16, 1, null, null, 3],
      ['USC_POLY', 12, 10, 1, 5, 4, 5],
    ],
  },
  {
    author: 'bichat',
    finess: '750100232',
    units: [
      ['REA_MED', 20, 20, 3, 14, 3, 1, 'Trois lits libérés ce matin, aussitôt proposés au SAMU 75'],
      ['REA_CHIR', 14, 12, 1, 6, 5, 1],
      ['SI_USIC', 12, 12, 2, null, null, 4],
    ],
  },
  { author: 'saint-antoine', finess: '750100091', units: [['REA_MED', 12, 12, 2, 9, 1, 2], ['USC_MED', 8, 8, 1, 4, 3, 6]] },
  { author: 'hegp', finess: '750803447', units: [['REA_MEDCHIR', 30, 28, 4, 17, 7, 2], ['REA_CHIR', 12, 12, 3, 5, 4, 2], ['SI_USIC', 18, 16, 2, null, null, 3]] },
  { author: 'necker', finess: '750100208', units: [['REA_PED', 28, 26, 1, 2, 23, 4]] },
  { author: 'mondor', finess: '940100027', units: [['REA_MEDCHIR', 26, 26, 1, 19, 6, 1], ['REA_CHIR', 16, 16, 4, 6, 6, 1], ['USC_POLY', 10, 10, 2, 4, 4, 7]] },
  {
    author: 'bicetre',
    finess: '940100043',
    units: [
      ['REA_CHIR', 20, 18, 5, 7, 6, 2],
      ['REA_NEONAT', 12, 10, 2, 0, 8, 5],
      ['USC_PED', 6, 6, 0, 0, 6, 30],
    ],
  },
  {
    author: 'avicenne',
    finess: '930100037',
    units: [
      ['REA_MEDCHIR', 18, 18, 0, 15, 3, 1, 'Complet : transferts vers la grande couronne en cours'],
      ['SI_USIC', 10, 10, 2, null, null, 30],
    ],
  },
  { author: 'ambroise-pare', finess: '920100013', units: [['REA_MEDCHIR', 12, 12, 1, 8, 3, 3], ['USC_CHIR', 8, 8, 2, 2, 4, 3]] },
  { author: 'beaujon', finess: '920100039', units: [['REA_CHIR', 16, 16, 3, 6, 7, 2]] },
  {
    author: 'ch-versailles',
    finess: '780800256',
    units: [
      ['REA_MEDCHIR', 16, 14, 2, 9, 3, 4],
      ['SI_USIC', 8, 8, 3, null, null, 4],
      ['SI_NEONAT', 9, 9, 0, 0, 9, 6],
    ],
  },
  { author: 'ch-sud-francilien', finess: '910020254', units: [['REA_MEDCHIR', 20, 20, 2, 14, 4, 2], ['USC_POLY', 12, 12, 3, 5, 4, 2]] },
  { author: 'ch-meaux', finess: '770000446', units: [['REA_MEDCHIR', 14, 14, 3, 8, 3, 5], ['SI_USIC', 8, 8, 4, null, null, 5]] },
  { author: 'ch-pontoise', finess: '950000364', units: [['REA_MEDCHIR', 16, 16, 1, 11, 4, 30, 'Relevé non mis à jour depuis hier']] },
  {
    author: 'chu-brest',
    finess: '290004324',
    units: [
      ['REA_MEDCHIR', 30, 30, 9, 6, 15, 2, 'Capacité d’accueil de patients franciliens : 6 lits'],
      ['SI_USIC', 14, 14, 4, null, null, 3],
    ],
  },
  { author: 'ch-quimper', finess: '290000025', units: [['REA_MEDCHIR', 15, 15, 5, 3, 7, 2]] },
  { author: 'chu-rennes', finess: '350000741', units: [['REA_MED', 22, 22, 6, 7, 9, 1], ['REA_CHIR', 18, 18, 5, 3, 10, 1], ['USC_POLY', 12, 12, 4, 2, 6, 4]] },
  { author: 'ch-saint-malo', finess: '350000147', units: [['REA_MEDCHIR', 10, 10, 3, 2, 5, 30]] },
];

/**
 * The national complement: every département of the referential gets critical-care units,
 * so that the national cell, an ARS or a SAMU outside Île-de-France and Brittany sees a
 * picture. They come as the national cell's import of a register extract (source `import`,
 * observed some hours before): no extra accounts, and one push per 500 reports.
 *
 * Which establishments (FINESS says nothing of critical care, nor of size): in each
 * département without an establishment above (those keep their hand-made figures, which
 * follow the 2020 ROR synthesis and which the integration and e2e tests rely on: the eight
 * of Île-de-France, Finistère, Ille-et-Vilaine), those whose name says an acute public
 * hospital (a short name starting CHU, CHRU, CHR, CHI, CH, GH, GHU, or a site of AP-HP,
 * AP-HM, HCL or of a CHU) and nothing of a day hospital, psychiatry, a SMUR antenna,
 * follow-up care and the like; university ones first (at most 3), then others (at most 2),
 * each in FINESS order. A département with none gets its first hospital or clinic.
 *
 * Sizes (spring 2020 orders of magnitude: about 5,000 adult réanimation beds installed in
 * France before the surge): a university site has 20–36 réanimation beds (or a medical and a
 * surgical unit), USIC and surveillance continue; a general hospital 8–16 réanimation beds,
 * often a surveillance continue, sometimes a USIC. In the régions hit first (Grand Est,
 * Île-de-France) réanimations are nearly full, mostly COVID+, with surge beds open, and
 * university sites run a COVID+ unit in a converted recovery room; elsewhere a quarter of
 * the beds are free (Île-de-France keeps its hand-made units, without surge beds). About one unit in fourteen was last reported 25 to 48 h ago (stale).
 * Every figure comes from a seeded generator: the same referential gives the same units.
 */
export interface NationalDemoUnit {
  finess: string;
  unitType: string;
  unitId: string | null;
  unitName: string | null;
  installed: number;
  staffed: number;
  available: number;
  covidPos: number | null;
  covidNeg: number | null;
  surge: number | null;
  assignment: 'covid+' | null;
  temporary: boolean;
  hoursAgo: number;
}

/** The régions hit first in spring 2020: Grand Est, Île-de-France (the latter has only hand-made units today). */
const HIT_REGIONS = new Set(['44', '11']);
const NATIONAL_SEED = 0x5eed2020;

/** Words of a FINESS name (folded) that say it is not an acute-care site with critical care. */
const NOT_ACUTE =
  /\b(JOUR|HJ|HDJ|PSY\w*|PEDOPSY\w*|SMUR|ANTENNE|CMP|CATTP|SSR|USLD|DIALYSE|HEMODIALYSE|DENTAIRE\w*|PLANIFICATION|CONSULTATIONS?|EHPAD|GERIATR\w*|SEJOUR|SUITE|ANNEXE|MAISON|HAD|DOMICILE|APPARTEMENTS?|UNITE|PHARMACIE|LABORATOIRE|SIEGE|CRECHE|ECOLE|MENTALES?|CHS|PENITENTIAIRE|USMP|UHSA|CURE|READAPTATION|CONVALESCENCE|CEGIDD|CDAG|DEPISTAGE|IMAGERIE|SCANNER|IRM|NUCLEAIRE|LOCAL|PMI|CYCLOTRON|TEP|EQUIPEMENTS|ADDICTOLOGIE|ALCOOLOGIE|MATERNITE|HEMATOLOGIE|ONCOLOGIE|SANTE MENTALE)\b/;
const UNIVERSITY = /^(CHU|CHRU|CHR|CHUM)\b|\((AP-HP|AP-HM|HCL|CHU\b[^)]*|CHRU\b[^)]*|CHR\b[^)]*)\)$/;
const GENERAL = /^(CHI|CH|GH|GHU|GHEF|CHIC)\b|\((CHI|CH|GH|GHU|GHEF)\b[^)]*\)$/;


function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
}

/** The establishments of each département that get units, by the rule above. */
export function nationalDemoEstablishments(t: Territories): Array<{ finess: string; dep: string; university: boolean }> {
  const seededAlready = new Set(DEMO_BEDS.map((b) => b.finess));
  const out: Array<{ finess: string; dep: string; university: boolean }> = [];
  for (const d of [...t.departementList()].sort((a, b) => a.code.localeCompare(b.code))) {
    const all = t.establishmentsIn(`D:${d.code}`).sort((a, b) => a.finess.localeCompare(b.finess));
    // The hand-made figures of Île-de-France and Finistère / Ille-et-Vilaine stay alone there.
    if (all.some((e) => seededAlready.has(e.finess))) continue;
    const acute = all.filter((e) => !seededAlready.has(e.finess) && !NOT_ACUTE.test(fold(e.name)));
    const university = acute.filter((e) => UNIVERSITY.test(e.shortName)).slice(0, 3);
    const general = acute.filter((e) => !UNIVERSITY.test(e.shortName) && GENERAL.test(e.shortName)).slice(0, 2);
    const chosen = [...university.map((e) => ({ e, university: true })), ...general.map((e) => ({ e, university: false }))];
    if (chosen.length === 0) {
      const fallback = acute.find((e) => /^(Hôpital|Clinique|Polyclinique)/.test(e.shortName)) ?? all[0];
      if (fallback) chosen.push({ e: fallback, university: false });
    }
    for (const c of chosen) out.push({ finess: c.e.finess, dep: d.code, university: c.university });
  }
  return out;
}

/** The national complement's units and figures (pure, deterministic). */
export function nationalDemoUnits(t: Territories): NationalDemoUnit[] {
  const rnd = seededRandom(NATIONAL_SEED);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const units: NationalDemoUnit[] = [];
  for (const { finess, dep, university } of nationalDemoEstablishments(t)) {
    const hit = HIT_REGIONS.has(t.departement(dep)?.region ?? '');
    const unit = (unitType: string, installed: number, critical: boolean, extra: Partial<NationalDemoUnit> = {}) => {
      // Surge beds in the régions hit first (réanimations only).
      const surge = hit && critical ? int(Math.ceil(installed * 0.2), Math.ceil(installed * 0.6)) : 0;
      const staffed = surge > 0 ? installed + surge : installed - (rnd() < 0.25 ? int(1, 2) : 0);
      const available = hit ? (rnd() < 0.4 ? 0 : int(1, 2)) : int(Math.floor(staffed * 0.1), Math.ceil(staffed * 0.35));
      const occupied = staffed - Math.min(available, staffed);
      const covidShare = !critical ? 0 : hit ? 0.6 + rnd() * 0.35 : rnd() * 0.3;
      const covidPos = critical || unitType.startsWith('USC') ? Math.round(occupied * covidShare) : null;
      const covidNeg = covidPos === null ? null : occupied - covidPos;
      const stale = rnd() < 0.07;
      units.push({
        finess,
        unitType,
        unitId: null,
        unitName: null,
        installed,
        staffed,
        available: Math.min(available, staffed),
        covidPos,
        covidNeg,
        surge: surge > 0 ? surge : null,
        assignment: null,
        temporary: false,
        hoursAgo: stale ? int(25, 48) : int(1, 12),
        ...extra,
      });
    };
    if (university) {
      if (rnd() < 0.5) {
        unit('REA_MED', int(14, 24), true);
        unit('REA_CHIR', int(10, 18), true);
      } else {
        unit('REA_MEDCHIR', int(20, 36), true);
      }
      unit('SI_USIC', int(10, 16), false);
      unit('USC_POLY', int(8, 16), false);
      if (hit) {
        // A recovery room turned into a COVID+ réanimation, all its beds surge beds.
        const beds = int(8, 14);
        units.push({
          finess, unitType: 'REA_MEDCHIR', unitId: 'REA_MEDCHIR COVID+', unitName: 'SSPI transformée', installed: 0, staffed: beds,
          available: rnd() < 0.5 ? 0 : 1, covidPos: 0, covidNeg: 0, surge: beds, assignment: 'covid+', temporary: true, hoursAgo: int(1, 6),
        });
        const last = units[units.length - 1]!;
        last.covidPos = last.staffed - last.available;
      }
    } else {
      unit('REA_MEDCHIR', int(8, 16), true);
      if (rnd() < 0.7) unit('USC_POLY', int(6, 12), false);
      if (rnd() < 0.4) unit('SI_USIC', int(6, 10), false);
    }
  }
  return units;
}

/** The national cell's import of the complement, 500 reports per push (one transaction each). */
async function seedNationalDemo(ctx: DemoContext<BedsStore>, base: number): Promise<void> {
  const name: keyof typeof bedMutators = 'unit.report';
  const mutations = nationalDemoUnits(ctx.territories).map((u) => {
    const args: UnitReportArgs = {
      id: randomUUID(),
      finess: u.finess,
      unitType: u.unitType,
      ...(u.unitId ? { unitId: u.unitId } : {}),
      unitName: u.unitName,
      installed: u.installed,
      staffed: u.staffed,
      available: u.available,
      covidPos: u.covidPos,
      covidNeg: u.covidNeg,
      surge: u.surge,
      assignment: u.assignment,
      temporary: u.temporary,
      source: 'import',
      observedAt: new Date(base - u.hoursAgo * 3_600_000).toISOString(),
    };
    return { name, args, at: new Date(base).toISOString() };
  });
  const national = ctx.user('national');
  for (let i = 0; i < mutations.length; i += 500) await ctx.seed(national, mutations.slice(i, i + 500));
}

/** The label of the demo feed key created from `VIGIE_DEMO_FEED_KEY`. */
export const DEMO_FEED_KEY_LABEL = 'Registre de démonstration (ROR Île-de-France)';

/** The establishments' own reports (source `app`), one push per establishment, the national complement; then the demo feed key if asked. */
export async function seedBedsDemo(ctx: DemoContext<BedsStore>): Promise<void> {
  if ((await ctx.own.countUnits()) === 0) {
    const base = Date.now();
    for (const u of DEMO_BED_REPORTERS) await ctx.demoUser(u.username, u.role, u.displayName);
    for (const { author, finess, units } of DEMO_BEDS) {
      await ctx.seed(
        ctx.user(author),
        units.map(([unitType, installed, staffed, available, covidPos, covidNeg, hoursAgo, comment]) => {
          const name: keyof typeof bedMutators = 'unit.report';
          const args: UnitReportArgs = { id: randomUUID(), finess, unitType, installed, staffed, available, covidPos, covidNeg, comment: comment ?? '' };
          return { name, args, at: new Date(base - hoursAgo * 3_600_000).toISOString() };
        }),
      );
    }
    await seedNationalDemo(ctx, base);
  }
  const key = ctx.options.feedKey;
  if (key) await seedFeedKey(ctx, key);
}

async function seedFeedKey(ctx: DemoContext<BedsStore>, key: string): Promise<void> {
  if (!apiKeyFromHeader(`ApiKey ${key}`)) {
    throw new Error('VIGIE_DEMO_FEED_KEY: 16 to 200 characters among A–Z a–z 0–9 _ - expected');
  }
  if (await ctx.own.findFeedKey(hashFeedKey(key))) return;
  await createFeedKey(ctx.own, ctx.territories, { label: DEMO_FEED_KEY_LABEL, territory: 'R:11', key });
}
