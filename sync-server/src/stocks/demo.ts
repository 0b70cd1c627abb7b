/**
 * The stocks board's demo data: pharmacist (PUI) accounts for four establishments, and six
 * weeks of twice-weekly counts (12 counts) of one presentation per molecule (two for
 * midazolam in university sites) at every establishment the bed board's demo gives
 * critical-care units, so the board works nationally and in a région from the first start.
 *
 * Figures are plausible for spring 2020, from a seeded generator (the same referential gives
 * the same history): daily use follows the critical-care beds (propofol ≈ 3 g per ventilated
 * patient a day, midazolam 150 mg; curares for about 40 % of them), stock on hand swings
 * between deliveries (which bring it back towards 8 to 20 days of use, 3 to 12 in the régions
 * hit first, Grand Est and Île-de-France, where short deliveries leave some pharmacies a day
 * or two from running out, or dry); a few pharmacies give no consumption (cover
 * « inconnu »). The four PUI accounts seed their own history (source `pui`); the rest is the
 * national cell's take-over of the MaPUI history (source `correction`, said in the comment).
 *
 * Then what a newcomer should find under way (`seedStocksUnderWay`):
 * - two weeks of COVID+ critical-care occupancy before the current bed reports of the four
 *   PUI sites (imported by the national cell, observed one a day, the épidémie growing about
 *   5 % a day), so their chart shows the forecast that follows occupancy;
 * - one validated national allocation round of cisatracurium (key weighted by COVID+
 *   occupancy, supply 40 % of the need, published as a consigne), the first demo establishment served confirming its receipt;
 * - one redeployment in Bretagne shipped and not yet received (proposed by ARS Bretagne from
 *   the site with the most cover to the one with the least, never below 10 days for the giver).
 * Seeded once, when the database has no stock line.
 */
import { randomUUID } from 'node:crypto';
import type { UnitReportArgs } from '../../../common/domain/beds/model';
import type { bedMutators } from '../../../common/domain/beds/mutators';
import { allocate } from '../../../common/domain/stocks/allocation';
import { moleculeTotals } from '../../../common/domain/stocks/cover';
import { DEFAULT_COVER_THRESHOLDS, type StockLine, type StockReportInput } from '../../../common/domain/stocks/model';
import { giverRefusal, moleculeStockMg } from '../../../common/domain/stocks/redeployment';
import type { stockMutators } from '../../../common/domain/stocks/mutators';
import type { MoleculeCode } from '../../../common/domain/stocks/products';
import { seededRandom } from '../../../common/seeded';
import type { DemoContext, DemoUser } from '../board';
import { DEMO_BED_REPORTERS, nationalDemoEstablishments } from '../beds/demo';
import { loadServerProducts } from './products';
import type { StocksStore } from './store';

/** The pharmacists' demo accounts (password `demo-vigie`). */
export const DEMO_PHARMACISTS: readonly DemoUser[] = [
  { username: 'pui-pitie', role: 'pui:750100125', displayName: 'Dr Claire Moreau — PUI Pitié-Salpêtrière' },
  { username: 'pui-bichat', role: 'pui:750100232', displayName: 'Dr Karim Haddad — PUI Bichat' },
  { username: 'pui-mondor', role: 'pui:940100027', displayName: 'Dr Julie Perrin — PUI Henri-Mondor' },
  { username: 'pui-brest', role: 'pui:290004324', displayName: 'Dr Erwan Le Bihan — PUI CHU de Brest' },
];

/** The presentation each demo pharmacy counts, per molecule (marketed in 2017). */
const DEMO_PRESENTATIONS: Readonly<Record<MoleculeCode, string>> = {
  midazolam: '3400957366742', // MIDAZOLAM ACCORD 5 mg/ml, ampoule 10 ml (50 mg)
  propofol: '3400956100163', // PROPOFOL FRESENIUS 10 mg/ml, flacon 50 ml (500 mg)
  cisatracurium: '3400955953920', // NIMBEX 5 mg/ml, flacon 30 ml (150 mg)
  atracurium: '3400956539369', // TRACRIUM 250 mg/25 ml, flacon (250 mg)
  rocuronium: '3400957152123', // ESMERON 10 mg/ml, flacon 5 ml (50 mg)
};
/** University sites also count midazolam 5 mg/ml in 1 ml ampoules (5 mg). */
const SECOND_MIDAZOLAM = '3400957366513';

/** mg per ventilated patient a day, and the share of patients who get the molecule. */
const USE: Readonly<Record<MoleculeCode, [number, number]>> = {
  propofol: [3000, 0.9],
  midazolam: [150, 0.6],
  cisatracurium: [300, 0.35],
  atracurium: [500, 0.1],
  rocuronium: [200, 0.1],
};

const COUNTS = 12;
const DAY_MS = 86_400_000;
const HIT_REGIONS = new Set(['44', '11']);
const SEED = 0x5700c2020;
const TAKE_OVER = 'Reprise de l’historique MaPUI (démonstration)';

export interface DemoStockSite {
  finess: string;
  university: boolean;
  hit: boolean;
  /** Username of the PUI account that reports it, or null (national take-over). */
  author: string | null;
}

export function demoStockSites(ctx: Pick<DemoContext<unknown>, 'territories'>): DemoStockSite[] {
  const t = ctx.territories;
  const pui = new Map(DEMO_PHARMACISTS.map((p) => [p.role.slice(4), p.username]));
  const hand = [{ finess: '750100125' }, ...DEMO_BED_REPORTERS.map((r) => ({ finess: r.role.slice('establishment:'.length) }))];
  const sites: DemoStockSite[] = [];
  const regionOf = (finess: string) => t.departement(t.establishment(finess)?.dep ?? '')?.region ?? '';
  for (const h of hand) {
    if (!t.establishment(h.finess)) continue;
    sites.push({ finess: h.finess, university: true, hit: HIT_REGIONS.has(regionOf(h.finess)), author: pui.get(h.finess) ?? null });
  }
  for (const e of nationalDemoEstablishments(t)) sites.push({ finess: e.finess, university: e.university, hit: HIT_REGIONS.has(regionOf(e.finess)), author: null });
  return sites;
}

type Mut = { name: keyof typeof stockMutators; args: StockReportInput; at: string };

/** Every site's twelve counts, oldest first (pure but for ids). */
export function demoStockReports(sites: readonly DemoStockSite[], now: number, mgPerUnit: (cip13: string) => number): Map<string | null, Mut[]> {
  const rnd = seededRandom(SEED);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const out = new Map<string | null, Mut[]>();
  // The last count is 2 to 6 hours old.
  const start = now - (COUNTS - 1) * 3.5 * DAY_MS - 6 * 3_600_000;
  for (const s of sites) {
    const patients = s.university ? int(18, 40) : int(6, 16);
    const noUseData = rnd() < 0.05;
    const cips: Array<[MoleculeCode, string]> = (Object.keys(DEMO_PRESENTATIONS) as MoleculeCode[]).map((m) => [m, DEMO_PRESENTATIONS[m]]);
    if (s.university) cips.push(['midazolam', SECOND_MIDAZOLAM]);
    // Per presentation: daily use in units and current stock in units.
    const state = cips.map(([m, cip]) => {
      const [mg, share] = USE[m];
      const split = cip === SECOND_MIDAZOLAM ? 0.2 : m === 'midazolam' && s.university ? 0.8 : 1;
      const daily = Math.max(0.5, (patients * mg * share * split) / mgPerUnit(cip));
      return { cip, daily, onHand: Math.round(daily * int(8, 16)) };
    });
    for (let c = 0; c < COUNTS; c++) {
      const at = new Date(start + c * 3.5 * DAY_MS + int(0, 4) * 3_600_000);
      // The épidémie grows: use rises over the six weeks, faster where it hit first.
      const surge = 1 + (c / COUNTS) * (s.hit ? 1.2 : 0.4);
      const lines = state.map((p) => {
        const daily = p.daily * surge * (0.85 + rnd() * 0.3);
        const period = c === 0 ? 7 : 3.5;
        const used = daily * period;
        // Deliveries bring the stock back towards a few days of use: fewer where the
        // épidémie hit first (3 to 12 days, short deliveries more often) than elsewhere (8 to 20).
        const target = daily * (s.hit ? 3 + rnd() * 9 : 8 + rnd() * 12);
        const short = rnd() < (s.hit ? 0.15 : 0.03);
        const delivered = Math.max(0, Math.round((target - (p.onHand - used)) * (short ? 0.2 : 1)));
        let onHand = p.onHand + delivered - used;
        let daysOut = 0;
        if (onHand < 0) {
          daysOut = Math.min(3, Math.ceil(-onHand / daily));
          onHand = 0;
        }
        p.onHand = Math.round(onHand);
        return {
          id: randomUUID(),
          cip13: p.cip,
          onHand: p.onHand,
          used7d: noUseData ? null : Math.round(daily * (7 - daysOut)),
          daysOut,
          delivered,
        };
      });
      const list = out.get(s.author) ?? [];
      list.push({
        name: 'stock.report',
        args: { finess: s.finess, at: at.toISOString(), comment: s.author ? '' : TAKE_OVER, lines },
        at: new Date(at.getTime() + 15 * 60_000).toISOString(),
      });
      out.set(s.author, list);
    }
  }
  return out;
}

export async function seedStocksDemo(ctx: DemoContext<StocksStore>): Promise<void> {
  for (const p of DEMO_PHARMACISTS) await ctx.demoUser(p.username, p.role, p.displayName);
  if ((await ctx.own.countLines()) > 0) return;
  const products = loadServerProducts();
  const byAuthor = demoStockReports(demoStockSites(ctx), Date.now(), (cip) => products.presentation(cip)?.mgPerUnit ?? 1);
  for (const [author, list] of byAuthor) {
    const user = ctx.user(author ?? 'national');
    // Pushes in time order, 400 mutations each (one transaction each).
    list.sort((a, b) => a.at.localeCompare(b.at));
    for (let i = 0; i < list.length; i += 400) await ctx.seed(user, list.slice(i, i + 400));
  }
  await seedStocksUnderWay(ctx, Date.now());
}

/** Days of COVID+ occupancy the demo adds before each PUI site's current bed reports. */
const OCCUPANCY_DAYS = 13;
const OCCUPANCY_COMMENT = 'Historique d’occupation (démonstration)';
/** The demo round's molecule and share of the need delivered. */
const ROUND_MOLECULE: MoleculeCode = 'cisatracurium';
const ROUND_SUPPLY_SHARE = 0.4;
const ROUND_TARGET_DAYS = 7;
/** The demo redeployment's région and thresholds. */
const REDEPLOY_REGION = '53';
const REDEPLOY_THRESHOLDS = { surplusDays: 10, alertDays: 7 } as const;

/** The occupancy history, the allocation round and the redeployment under way (see the module comment). */
export async function seedStocksUnderWay(ctx: DemoContext<StocksStore>, now: number): Promise<void> {
  await seedOccupancyHistory(ctx);
  await seedAllocationRound(ctx, now);
  await seedRedeployment(ctx, now);
}

async function seedOccupancyHistory(ctx: DemoContext<StocksStore>): Promise<void> {
  const name: keyof typeof bedMutators = 'unit.report';
  const mutations: Array<{ name: string; args: UnitReportArgs; at: string }> = [];
  for (const p of DEMO_PHARMACISTS) {
    const path = ctx.territories.path(`E:${p.role.slice(4)}`);
    if (!path) continue;
    for (const u of await ctx.own.bedUnits(path)) {
      if (u.covidPos === null) continue;
      for (let d = OCCUPANCY_DAYS; d >= 1; d--) {
        // Fewer COVID+ patients the further back; the beds they leave were free (figures stay plausible).
        const covidPos = Math.round(u.covidPos * Math.max(0.3, 1 - 0.05 * d));
        const observedAt = new Date(Date.parse(u.at) - d * DAY_MS).toISOString();
        mutations.push({
          name,
          args: {
            id: randomUUID(),
            finess: u.finess,
            unitType: u.unitType as UnitReportArgs['unitType'],
            unitId: u.unitId,
            unitName: u.unitName,
            installed: u.installed,
            staffed: u.staffed,
            available: u.available + (u.covidPos - covidPos),
            covidPos,
            covidNeg: u.covidNeg,
            surge: u.surge,
            assignment: u.assignment,
            temporary: u.temporary,
            comment: OCCUPANCY_COMMENT,
            source: 'import',
            observedAt,
          },
          at: observedAt,
        });
      }
    }
  }
  mutations.sort((a, b) => a.at.localeCompare(b.at));
  const national = ctx.user('national');
  for (let i = 0; i < mutations.length; i += 400) await ctx.seed(national, mutations.slice(i, i + 400));
}

function byEstablishment(lines: readonly StockLine[]): Map<string, StockLine[]> {
  const out = new Map<string, StockLine[]>();
  for (const l of lines) out.set(l.finess, [...(out.get(l.finess) ?? []), l]);
  return out;
}

async function seedAllocationRound(ctx: DemoContext<StocksStore>, now: number): Promise<void> {
  const products = loadServerProducts();
  const cip13 = DEMO_PRESENTATIONS[ROUND_MOLECULE];
  const p = products.presentation(cip13);
  const france = ctx.territories.path('FR');
  if (!p || !france) return;
  // The inputs the national workstation reads from its cache (`allocations.propose`).
  const covid = new Map<string, number>();
  for (const u of await ctx.own.bedUnits(france)) if (u.covidPos !== null) covid.set(u.finess, (covid.get(u.finess) ?? 0) + u.covidPos);
  const inputs = [...byEstablishment(await ctx.own.currentLines())]
    .filter(([finess]) => ctx.territories.establishment(finess))
    .map(([finess, lines]) => {
      const totals = moleculeTotals(ROUND_MOLECULE, lines, products, DEFAULT_COVER_THRESHOLDS);
      return { finess, onHandMg: totals?.onHandMg ?? 0, dailyUseMg: totals?.dailyMg ?? null, covidOccupied: covid.get(finess) ?? null };
    });
  const key = (supplyUnits: number) => allocate({ supplyUnits, mgPerUnit: p.mgPerUnit, weightByOccupancy: true, lines: inputs.map((l) => ({ ...l, targetDays: ROUND_TARGET_DAYS })) });
  const supplyUnits = Math.max(1, Math.round(key(1).totals.needUnits * ROUND_SUPPLY_SHARE));
  const proposal = key(supplyUnits);
  const quota = new Map(proposal.lines.map((l) => [l.finess, l.quota]));
  const roundId = randomUUID();
  const validatedAt = new Date(now - 20 * 3_600_000).toISOString();
  await ctx.seed(ctx.user('national'), [
    {
      name: 'allocation.validate',
      args: { roundId, cip13, supplyUnits, targetDays: ROUND_TARGET_DAYS, weightByOccupancy: true, lines: inputs.map((l) => ({ ...l, quota: quota.get(l.finess) ?? 0 })) },
      at: validatedAt,
    },
  ]);
  // The first demo account's establishment served confirms its receipt (the others have not yet).
  const finessOf = (role: string) => role.slice(role.indexOf(':') + 1);
  const served = [...DEMO_PHARMACISTS, ...DEMO_BED_REPORTERS].find((a) => (quota.get(finessOf(a.role)) ?? 0) > 0);
  if (served) {
    await ctx.seed(ctx.user(served.username), [{ name: 'allocation.confirm', args: { roundId, finess: finessOf(served.role) }, at: new Date(now - 8 * 3_600_000).toISOString() }]);
  }
}

async function seedRedeployment(ctx: DemoContext<StocksStore>, now: number): Promise<void> {
  const products = loadServerProducts();
  const t = ctx.territories;
  // The région's sites with an account of their own, which ship and receive.
  const accounts = new Map<string, string>();
  for (const r of DEMO_BED_REPORTERS) accounts.set(r.role.slice('establishment:'.length), r.username);
  for (const p of DEMO_PHARMACISTS) accounts.set(p.role.slice(4), p.username);
  const sites = [...accounts.keys()].filter((f) => t.departement(t.establishment(f)?.dep ?? '')?.region === REDEPLOY_REGION).sort();
  const lines = new Map(await Promise.all(sites.map(async (f) => [f, await ctx.own.currentLines(f)] as const)));
  for (const molecule of ['cisatracurium', 'propofol', 'midazolam', 'atracurium', 'rocuronium'] as const) {
    const cip13 = DEMO_PRESENTATIONS[molecule];
    const mgPerUnit = products.presentation(cip13)?.mgPerUnit;
    if (!mgPerUnit) continue;
    const cover = sites
      .map((f) => ({ f, ...moleculeStockMg(lines.get(f) ?? [], molecule, products) }))
      .filter((c) => c.dailyMg !== null && c.dailyMg > 0)
      .map((c) => ({ ...c, days: c.onHandMg / (c.dailyMg as number) }))
      .sort((a, b) => b.days - a.days || a.f.localeCompare(b.f));
    if (cover.length < 2) continue;
    const giver = cover[0];
    const receiver = cover[cover.length - 1];
    const giverUnits = (lines.get(giver.f) ?? []).find((l) => l.cip13 === cip13)?.onHand ?? 0;
    const spare = Math.floor((giver.onHandMg - REDEPLOY_THRESHOLDS.surplusDays * (giver.dailyMg as number)) / mgPerUnit);
    const wanted = Math.ceil((REDEPLOY_THRESHOLDS.surplusDays * (receiver.dailyMg as number) - receiver.onHandMg) / mgPerUnit);
    const units = Math.min(giverUnits, spare, Math.max(1, wanted));
    if (units < 1) continue;
    const refusal = giverRefusal({ giverName: giver.f, lines: lines.get(giver.f) ?? [], open: [], giver: giver.f, cip13, units, surplusDays: REDEPLOY_THRESHOLDS.surplusDays, products });
    if (refusal) continue;
    const id = randomUUID();
    await ctx.seed(ctx.user('ars-bretagne'), [
      { name: 'redeployment.propose', args: { cip13, ...REDEPLOY_THRESHOLDS, moves: [{ id, from: giver.f, to: receiver.f, units }] }, at: new Date(now - 6 * 3_600_000).toISOString() },
    ]);
    await ctx.seed(ctx.user(accounts.get(giver.f) ?? 'national'), [{ name: 'redeployment.ship', args: { id }, at: new Date(now - 3 * 3_600_000).toISOString() }]);
    return;
  }
}
