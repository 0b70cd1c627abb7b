import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMutator } from '../../../../common/boards';
import type { MutationContext } from '../../../../common/engine/mutation';
import { actorFor, REPO_ROOT, testTerritories } from '../../../support/referential';
import { reason, uuid } from '../../../support/memoryTx';
import { parseFrenchNumber, StockEntryArgs, type StockLine } from '../../../../common/domain/stocks/model';
import { MEDICINES_FILE, productsFromCsv } from '../../../../common/domain/stocks/products';
import type { StocksTx } from '../../../../common/domain/stocks/tx';
import { RedeployMemory } from '../../../support/stocksMemory';

const products = productsFromCsv(readFileSync(join(REPO_ROOT, 'resources', 'medicines', MEDICINES_FILE), 'utf8'));
const PITIE = '750100125';
const BICHAT = '750100232';
const NOW = '2020-04-06T10:00:00.000Z';

class StocksMemory extends RedeployMemory implements StocksTx {
  products = () => products;
  getLine = (id: string) => this.lines.get(id);
  insertLine = (l: StockLine) => void this.lines.set(l.id, l);
  // Allocation rounds are tested in rounds.test.ts.
}

function ctx(role: string, at = NOW): MutationContext {
  return { actor: actorFor(`u-${role}`, role, `Dr ${role}`), at, territories: testTerritories(), via: 'sync' };
}
const run = (tx: StocksMemory, role: string, args: unknown) => runMutator(() => tx, 'stock.report', args, ctx(role));
const report = (finess: string, lines: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({
  finess,
  lines: lines.map((l) => ({ id: uuid(), cip13: '3400956100163', onHand: 10, ...l })),
  ...extra,
});

describe('stock.report', () => {
  it('keeps one line per presentation, with the molecule from the referential and who counted', () => {
    const tx = new StocksMemory();
    run(tx, `pui:${PITIE}`, report(PITIE, [{ onHand: 120.5, used7d: 70, daysOut: 1, delivered: 50 }, { cip13: '3400957152123', onHand: 40, dailyUse: 6 }]));
    const lines = [...tx.lines.values()];
    expect(lines.map((l) => [l.cip13, l.molecule, l.onHand, l.used7d, l.dailyUse, l.daysOut, l.delivered, l.source, l.at])).toEqual([
      ['3400956100163', 'propofol', 120.5, 70, null, 1, 50, 'pui', NOW],
      ['3400957152123', 'rocuronium', 40, null, 6, 0, 0, 'pui', NOW],
    ]);
    expect(lines[0]).toMatchObject({ reportedBy: `Dr pui:${PITIE}`, reportedRole: `pui:${PITIE}`, version: 0 });
  });

  it('is written by the establishment’s pharmacy only; the national cell corrects with a reason; others are refused in French', () => {
    const tx = new StocksMemory();
    expect(reason(() => run(tx, `pui:${PITIE}`, report(BICHAT, [{}])))).toBe('Vous ne pouvez déclarer que les stocks de votre établissement.');
    const notPui = 'Seule la pharmacie (PUI) de l’établissement déclare ses stocks ; la cellule nationale peut les corriger.';
    expect(reason(() => run(tx, `establishment:${PITIE}`, report(PITIE, [{}])))).toBe(notPui);
    expect(reason(() => run(tx, 'ars:11', report(PITIE, [{}])))).toBe(notPui);
    expect(reason(() => run(tx, 'samu:75', report(PITIE, [{}])))).toBe(notPui);
    expect(reason(() => run(tx, 'national', report(PITIE, [{}])))).toBe('Une correction par la cellule nationale doit dire pourquoi (commentaire).');
    expect(tx.lines.size).toBe(0);
    run(tx, 'national', report(PITIE, [{}], { comment: 'Erreur de saisie du 5 avril' }));
    expect([...tx.lines.values()][0]).toMatchObject({ source: 'correction', comment: 'Erreur de saisie du 5 avril' });
  });

  it('is all or nothing: one unknown presentation refuses the whole report', () => {
    const tx = new StocksMemory();
    // The memory slice writes as it goes; the engine's savepoint undoes it on a real store. Here we check the refusal names the line.
    expect(reason(() => run(tx, `pui:${PITIE}`, report(PITIE, [{ cip13: '3400000000000' }])))).toBe('Présentation inconnue du référentiel des médicaments : CIP13 3400000000000.');
  });

  it('refuses bad figures with French messages naming the field', () => {
    const tx = new StocksMemory();
    const r = (l: Record<string, unknown>) => reason(() => run(tx, `pui:${PITIE}`, report(PITIE, [l])));
    expect(r({ onHand: -1 })).toContain('Stock : la valeur ne peut pas être négative.');
    expect(r({ onHand: '12' })).toContain('Stock : un nombre est attendu.');
    expect(r({ daysOut: 8 })).toContain('Jours de rupture : 7 au plus');
    expect(r({ daysOut: 1.5 })).toContain('nombre entier de jours');
    expect(r({ used7d: 10, dailyUse: 2 })).toContain('pas les deux');
    expect(r({ extra: 1 })).toMatch(/Données invalides/);
    expect(reason(() => run(tx, `pui:${PITIE}`, report(PITIE, [{}, {}])))).toContain('La présentation 3400956100163 figure deux fois dans le relevé.');
    expect(reason(() => run(tx, `pui:${PITIE}`, { finess: PITIE, lines: [] }))).toContain('Aucune présentation dans le relevé');
    expect(reason(() => run(tx, `pui:${PITIE}`, report(PITIE, [{}], { at: '2020-04-06T11:00:00.000Z' })))).toContain('Heure de comptage');
    expect(tx.lines.size).toBe(0);
  });

  it('refuses a line id already used', () => {
    const tx = new StocksMemory();
    const args = report(PITIE, [{}]);
    run(tx, `pui:${PITIE}`, args);
    expect(reason(() => run(tx, `pui:${PITIE}`, args))).toBe('Une ligne de relevé porte déjà cet identifiant.');
  });
});

describe('the pharmacist’s role', () => {
  it('is pui:<FINESS>, an establishment role of its own on the establishment’s territory', () => {
    const a = actorFor('p', `pui:${PITIE}`);
    expect(a.role).toEqual({ kind: 'establishment', finess: PITIE, pui: true });
    expect(a.territory).toBe(`E:${PITIE}`);
  });
});

describe('French numbers in the quick form', () => {
  it('reads « 1 234,5 », « 12,0 », narrow and no-break spaces, and refuses the rest', () => {
    expect(parseFrenchNumber('1 234,5')).toBe(1234.5);
    expect(parseFrenchNumber('12,0')).toBe(12);
    expect(parseFrenchNumber('1\u202f234')).toBe(1234);
    expect(parseFrenchNumber('1\u00a0234,25')).toBe(1234.25);
    expect(parseFrenchNumber('7.5')).toBe(7.5);
    expect(parseFrenchNumber('  ')).toBeNull();
    expect(parseFrenchNumber('12,5,3')).toBeNaN();
    expect(parseFrenchNumber('douze')).toBeNaN();
    const parsed = StockEntryArgs.safeParse({ finess: PITIE, lines: [{ cip13: '3400956100163', onHand: parseFrenchNumber('douze') }] });
    expect(parsed.success).toBe(false);
  });
});
