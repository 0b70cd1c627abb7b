/**
 * Regional redeployments' rules, through the mutators the server runs: who may take each step,
 * the order of states, the giver's threshold when proposing, and a receipt applied once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMutator } from '../../../../common/boards';
import type { MutationContext } from '../../../../common/engine/mutation';
import type { StockLine } from '../../../../common/domain/stocks/model';
import { MEDICINES_FILE, productsFromCsv } from '../../../../common/domain/stocks/products';
import { redeployNextSteps, type Redeployment } from '../../../../common/domain/stocks/redeployment';
import type { StocksTx } from '../../../../common/domain/stocks/tx';
import { parseRole } from '../../../../common/territory';
import { actorFor, REPO_ROOT, testTerritories } from '../../../support/referential';
import { reason, uuid } from '../../../support/memoryTx';
import { RedeployMemory } from '../../../support/stocksMemory';

const products = productsFromCsv(readFileSync(join(REPO_ROOT, 'resources', 'medicines', MEDICINES_FILE), 'utf8'));
const PITIE = '750100125';
const BICHAT = '750100232';
const MONDOR = '940100027';
const BREST = '290004324';
/** PROPOFOL FRESENIUS 10 mg/ml, flacon 50 ml: 500 mg a unit. */
const PROPOFOL = '3400956100163';
const NOW = '2020-04-06T10:00:00.000Z';
const LATER = '2020-04-07T15:00:00.000Z';

class Memory extends RedeployMemory implements StocksTx {
  products = () => products;
  getLine = (id: string) => this.lines.get(id);
  insertLine = (l: StockLine) => void this.lines.set(l.id, l);
  count(finess: string, onHand: number, dailyUse: number | null, at = '2020-04-06T08:00:00.000Z') {
    const id = uuid();
    this.insertLine({ id, finess, cip13: PROPOFOL, molecule: 'propofol', onHand, used7d: null, dailyUse, daysOut: 0, delivered: 0, comment: '', source: 'pui', reportedBy: 'x', reportedRole: `pui:${finess}`, at, version: 0 });
  }
  current(finess: string) {
    return this.currentLines(finess).find((l) => l.cip13 === PROPOFOL);
  }
}

const ctx = (role: string, at = NOW): MutationContext => ({ actor: actorFor(`u-${role}`, role, `Agent ${role}`), at, territories: testTerritories(), via: 'sync' });
const run = (tx: Memory, name: string, role: string, args: unknown, at = NOW) => runMutator(() => tx, name, args, ctx(role, at));

/** Pitié 400 flacons at 10 a day (40 days), Bichat 20 at 10 a day (2 days). */
function twoSites(): Memory {
  const tx = new Memory();
  tx.count(PITIE, 400, 10);
  tx.count(BICHAT, 20, 10);
  return tx;
}
const propose = (moves: Array<{ from: string; to: string; units: number; id?: string }>, extra: Record<string, unknown> = {}) => ({
  cip13: PROPOFOL,
  surplusDays: 14,
  alertDays: 7,
  moves: moves.map((m) => ({ id: m.id ?? uuid(), ...m })),
  ...extra,
});

describe('redeployment.propose', () => {
  it('is the ARS of the région’s only, within its région, and writes a proposed move with who and when', () => {
    const tx = twoSites();
    const id = uuid();
    const args = propose([{ id, from: PITIE, to: BICHAT, units: 50 }]);
    expect(reason(() => run(tx, 'redeployment.propose', 'national', args))).toBe('Seule l’ARS de la région propose un redéploiement.');
    expect(reason(() => run(tx, 'redeployment.propose', `pui:${PITIE}`, args))).toBe('Seule l’ARS de la région propose un redéploiement.');
    expect(reason(() => run(tx, 'redeployment.propose', 'ars:53', args))).toMatch(/n’est pas dans votre région/);
    expect(reason(() => run(tx, 'redeployment.propose', 'ars:11', propose([{ from: PITIE, to: BREST, units: 5 }])))).toMatch(/n’est pas dans votre région/);
    expect(tx.moves.size).toBe(0);
    run(tx, 'redeployment.propose', 'ars:11', args);
    expect(tx.moves.get(id)).toMatchObject({ region: '11', molecule: 'propofol', from: PITIE, to: BICHAT, units: 50, state: 'propose', proposed: { by: 'Agent ars:11', role: 'ars:11', at: NOW }, shipped: null });
    expect(tx.moves.get(id)?.distanceKm).toBeGreaterThan(0);
  });

  it('never pushes a giver below the surplus threshold, counting its open moves, and needs the units', () => {
    const tx = twoSites();
    // 400 − 14 × 10 = 260 may go; 261 would leave 13.9 days.
    expect(reason(() => run(tx, 'redeployment.propose', 'ars:11', propose([{ from: PITIE, to: BICHAT, units: 261 }])))).toMatch(/sous le seuil d’excédent \(14 j\)/);
    run(tx, 'redeployment.propose', 'ars:11', propose([{ from: PITIE, to: BICHAT, units: 200 }]));
    // 200 already promised: 60 more at most, even to another receiver, even in one proposal of two moves.
    expect(reason(() => run(tx, 'redeployment.propose', 'ars:11', propose([{ from: PITIE, to: MONDOR, units: 61 }])))).toMatch(/sous le seuil/);
    expect(reason(() => run(tx, 'redeployment.propose', 'ars:11', propose([{ from: PITIE, to: MONDOR, units: 40 }, { from: PITIE, to: BICHAT, units: 21 }])))).toMatch(/sous le seuil/);
    expect(tx.moves.size).toBe(1);
    run(tx, 'redeployment.propose', 'ars:11', propose([{ from: PITIE, to: MONDOR, units: 60 }]));
    // Bichat has 20 flacons and 2 days: it holds the units but not the threshold; Mondor has none.
    expect(reason(() => run(tx, 'redeployment.propose', 'ars:11', propose([{ from: BICHAT, to: PITIE, units: 5 }])))).toMatch(/sous le seuil/);
    expect(reason(() => run(tx, 'redeployment.propose', 'ars:11', propose([{ from: MONDOR, to: PITIE, units: 5 }])))).toMatch(/n’a que 0 unité/);
    expect(reason(() => run(tx, 'redeployment.propose', 'ars:11', propose([{ from: PITIE, to: PITIE, units: 1 }])))).toBe('Le donneur et le receveur sont le même établissement.');
    expect(reason(() => run(tx, 'redeployment.propose', 'ars:11', propose([{ from: PITIE, to: BICHAT, units: 1 }], { surplusDays: 5 })))).toBe(
      'Données invalides : surplusDays : Le seuil d’excédent doit être supérieur ou égal au seuil d’alerte.',
    );
  });

  it('refuses a giver whose consumption is unknown: its cover is unknown, never a source', () => {
    const tx = new Memory();
    tx.count(PITIE, 400, null);
    expect(reason(() => run(tx, 'redeployment.propose', 'ars:11', propose([{ from: PITIE, to: BICHAT, units: 1 }])))).toMatch(/ne déclare pas sa consommation/);
  });
});

describe('the steps of a move', () => {
  function proposed(): { tx: Memory; id: string } {
    const tx = twoSites();
    const id = uuid();
    run(tx, 'redeployment.propose', 'ars:11', propose([{ id, from: PITIE, to: BICHAT, units: 50 }]));
    return { tx, id };
  }

  it('go proposé → expédié → reçu, each by its party only, in that order', () => {
    const { tx, id } = proposed();
    expect(reason(() => run(tx, 'redeployment.receive', `pui:${BICHAT}`, { id }))).toBe('Impossible de déclarer la réception : le redéploiement est proposé.');
    expect(reason(() => run(tx, 'redeployment.ship', `pui:${BICHAT}`, { id }))).toBe('Seul l’établissement donneur peut déclarer l’expédition.');
    expect(reason(() => run(tx, 'redeployment.ship', 'ars:11', { id }))).toBe('Seul l’établissement donneur peut déclarer l’expédition.');
    run(tx, 'redeployment.ship', `establishment:${PITIE}`, { id });
    expect(tx.moves.get(id)).toMatchObject({ state: 'expedie', shipped: { role: `establishment:${PITIE}` } });
    expect(reason(() => run(tx, 'redeployment.ship', `pui:${PITIE}`, { id }))).toBe('Impossible de déclarer l’expédition : le redéploiement est expédié.');
    expect(reason(() => run(tx, 'redeployment.receive', `pui:${PITIE}`, { id }))).toBe('Seul l’établissement receveur peut déclarer la réception.');
    run(tx, 'redeployment.receive', `pui:${BICHAT}`, { id }, LATER);
    expect(tx.moves.get(id)).toMatchObject({ state: 'recu', received: { role: `pui:${BICHAT}`, at: LATER } });
    expect(reason(() => run(tx, 'redeployment.cancel', 'ars:11', { id }))).toBe('Impossible de annuler : le redéploiement est reçu.');
  });

  it('offer each viewer only its next step', () => {
    const { tx, id } = proposed();
    const steps = (role: string) => redeployNextSteps(tx.moves.get(id) as Redeployment, parseRole(role)!);
    expect(steps(`pui:${PITIE}`)).toEqual(['ship']);
    expect(steps(`pui:${BICHAT}`)).toEqual([]);
    expect(steps('ars:11')).toEqual(['cancel']);
    expect(steps('ars:53')).toEqual([]);
    expect(steps('national')).toEqual([]);
    run(tx, 'redeployment.ship', `pui:${PITIE}`, { id });
    expect(steps(`pui:${BICHAT}`)).toEqual(['receive']);
    expect(steps('ars:11')).toEqual(['cancel']);
  });

  it('a receipt moves the stock of both sides once, at the receipt time, counted as a delivery; a second receipt writes nothing', () => {
    const { tx, id } = proposed();
    run(tx, 'redeployment.ship', `pui:${PITIE}`, { id });
    run(tx, 'redeployment.receive', `pui:${BICHAT}`, { id }, LATER);
    expect(tx.current(PITIE)).toMatchObject({ onHand: 350, dailyUse: 10, delivered: 0, at: LATER, reportedRole: `pui:${BICHAT}` });
    expect(tx.current(BICHAT)).toMatchObject({ onHand: 70, dailyUse: 10, delivered: 50, at: LATER });
    const lines = tx.lines.size;
    run(tx, 'redeployment.receive', `pui:${BICHAT}`, { id }, '2020-04-07T16:00:00.000Z');
    expect(tx.lines.size).toBe(lines);
    expect(tx.current(PITIE)?.onHand).toBe(350);
    expect(tx.current(BICHAT)?.onHand).toBe(70);
    expect(tx.moves.get(id)?.received?.at).toBe(LATER);
  });

  it('may be cancelled by the ARS before receipt, which frees the giver’s units', () => {
    const { tx, id } = proposed();
    expect(reason(() => run(tx, 'redeployment.cancel', `pui:${PITIE}`, { id }))).toBe('Seul l’ARS de la région peut annuler.');
    expect(reason(() => run(tx, 'redeployment.cancel', 'ars:53', { id }))).toBe('Seul l’ARS de la région peut annuler.');
    run(tx, 'redeployment.ship', `pui:${PITIE}`, { id });
    run(tx, 'redeployment.cancel', 'ars:11', { id });
    expect(tx.moves.get(id)).toMatchObject({ state: 'annule', cancelled: { role: 'ars:11' } });
    expect(reason(() => run(tx, 'redeployment.receive', `pui:${BICHAT}`, { id }))).toBe('Impossible de déclarer la réception : le redéploiement est annulé.');
    // The 50 units are free again: 260 may go.
    run(tx, 'redeployment.propose', 'ars:11', propose([{ from: PITIE, to: BICHAT, units: 260 }]));
    expect(tx.current(PITIE)?.onHand).toBe(400);
  });
});
