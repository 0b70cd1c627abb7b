import { RedeployMemory } from '../../../support/stocksMemory';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMutator } from '../../../../common/boards';
import type { MutationContext } from '../../../../common/engine/mutation';
import { MEDICINES_FILE, productsFromCsv } from '../../../../common/domain/stocks/products';
import { allocate } from '../../../../common/domain/stocks/allocation';
import { roundLineId, type AllocationRound, type AllocationRoundLine } from '../../../../common/domain/stocks/rounds';
import { roundMessageId } from '../../../../common/domain/stocks/roundMutators';
import type { StocksTx } from '../../../../common/domain/stocks/tx';
import { actorFor, REPO_ROOT, testTerritories } from '../../../support/referential';
import { MemoryTx, reason, uuid } from '../../../support/memoryTx';

const products = productsFromCsv(readFileSync(join(REPO_ROOT, 'resources', 'medicines', MEDICINES_FILE), 'utf8'));
const PITIE = '750100125';
const BICHAT = '750100232';
const PROPOFOL_50ML = '3400956100163';
const NOW = '2020-04-06T10:00:00.000Z';

class RoundsMemory extends RedeployMemory implements StocksTx {
  products = () => products;
  getLine = () => undefined;
  insertLine = () => undefined;
}

function world(withEvent = true) {
  const stocks = new RoundsMemory();
  const log = new MemoryTx();
  if (withEvent)
    log.putEvent({ id: uuid(), title: 'COVID-19', description: '', territory: 'FR', status: 'open', openedAt: '2020-03-01T08:00:00.000Z', openedBy: 'x', closedAt: null, closedBy: null, version: 1 });
  const source = (slice: string): object => (slice === 'stocks' ? stocks : log);
  const run = (role: string, name: string, args: unknown, at = NOW) => runMutator(source, name, args, ctx(role, at));
  return { stocks, log, run };
}
function ctx(role: string, at: string): MutationContext {
  return { actor: actorFor(`u-${role}`, role, `Dr ${role}`), at, territories: testTerritories(), via: 'sync' };
}

// 500 mg a vial. Pitié: 2,000 mg on hand, 3,000 mg a day → need 7 × 3000 − 2000 = 19,000 mg = 38 vials.
// Bichat: 0 on hand, 1,000 mg a day → 7,000 mg = 14 vials. 30 vials for 52 needed: shared.
const inputs = (quotas: Partial<Record<string, number>> = {}) => {
  const p = allocate({
    supplyUnits: 30,
    mgPerUnit: 500,
    lines: [
      { finess: PITIE, onHandMg: 2000, dailyUseMg: 3000, targetDays: 7 },
      { finess: BICHAT, onHandMg: 0, dailyUseMg: 1000, targetDays: 7 },
    ],
  });
  return {
    roundId: uuid(),
    cip13: PROPOFOL_50ML,
    supplyUnits: 30,
    targetDays: 7,
    weightByOccupancy: false,
    lines: p.lines.map((l) => ({ finess: l.finess, onHandMg: l.onHandMg, dailyUseMg: l.dailyUseMg, covidOccupied: null, quota: quotas[l.finess] ?? l.quota })),
  };
};

describe('allocation.validate', () => {
  it('writes the round, a line per establishment with the key’s figures recomputed, and one consigne in the national event', () => {
    const w = world();
    const args = inputs({ [BICHAT]: 6 });
    w.run('national', 'allocation.validate', args);
    const round = w.stocks.rounds.get(args.roundId)!;
    expect(round.totals).toMatchObject({ supplyUnits: 30, needUnits: 52, proposedUnits: 30, allocatedUnits: 28, leftUnits: 2, lines: 2, adjustedLines: 1 });
    const pitie = w.stocks.roundLines.get(roundLineId(args.roundId, PITIE))!;
    const bichat = w.stocks.roundLines.get(roundLineId(args.roundId, BICHAT))!;
    expect([pitie.figures.needUnits, pitie.proposed, pitie.quota, pitie.adjusted]).toEqual([38, 22, 22, false]);
    expect([bichat.figures.needUnits, bichat.proposed, bichat.quota, bichat.adjusted]).toEqual([14, 8, 6, true]);
    // Every input and intermediate figure is kept with the line.
    expect(pitie.figures).toMatchObject({ onHandMg: 2000, dailyUseMg: 3000, targetDays: 7, needMg: 19000, weight: 1 });
    expect(pitie.figures.rawQuota).toBeCloseTo((30 * 38) / 52, 9);
    const msg = w.log.messages.get(roundMessageId(args.roundId))!;
    expect(msg).toMatchObject({ kind: 'consigne', territory: 'FR', level: 'national', priority: 'important' });
    expect(msg.body).toContain('Propofol');
    expect(msg.body).toContain('entre 2 établissements');
  });

  it('is the national cell’s only, from the session', () => {
    for (const role of ['ars:11', 'samu:75', `pui:${PITIE}`, `establishment:${PITIE}`]) {
      const w = world();
      expect(reason(() => w.run(role, 'allocation.validate', inputs()))).toBe('Seule la cellule nationale valide une dotation.');
      expect(w.stocks.rounds.size + w.stocks.roundLines.size + w.log.messages.size).toBe(0);
    }
  });

  it('refuses a total above the supply, naming the excess', () => {
    const w = world();
    expect(reason(() => w.run('national', 'allocation.validate', inputs({ [PITIE]: 25 })))).toBe('Répartition de 33 unités pour 30 disponibles : 3 de trop, réduisez des lignes avant de valider.');
    expect(w.stocks.rounds.size).toBe(0);
  });

  it('refuses a round validated twice, an establishment named twice or unknown, and publishes nowhere without an open national event', () => {
    const w = world();
    const args = inputs();
    w.run('national', 'allocation.validate', args);
    expect(reason(() => w.run('national', 'allocation.validate', args))).toBe('Cette dotation est déjà validée.');
    const twice = inputs();
    twice.lines.push({ ...twice.lines[0] });
    expect(reason(() => w.run('national', 'allocation.validate', twice))).toBe(`L’établissement ${PITIE} figure deux fois dans la dotation.`);
    const unknown = inputs();
    unknown.lines[0] = { ...unknown.lines[0], finess: '999999999' };
    expect(reason(() => w.run('national', 'allocation.validate', unknown))).toContain('Établissement inconnu');
    const none = world(false);
    expect(reason(() => none.run('national', 'allocation.validate', inputs()))).toContain('Aucun événement national ouvert');
    expect(none.stocks.rounds.size).toBe(0);
  });

  it('refuses a fractional or negative quota in French', () => {
    const w = world();
    expect(reason(() => w.run('national', 'allocation.validate', inputs({ [PITIE]: 2.5 })))).toContain('Quota : un nombre entier');
    expect(reason(() => w.run('national', 'allocation.validate', inputs({ [PITIE]: -1 })))).toContain('Quota : un nombre entier');
  });
});

describe('allocation.confirm', () => {
  it('is the establishment’s (or its PUI’s) for its own line only, once, with who and when', () => {
    const w = world();
    const args = inputs({ [BICHAT]: 0, [PITIE]: 30 });
    w.run('national', 'allocation.validate', args);
    const id = { roundId: args.roundId, finess: PITIE };
    const own = 'Seul l’établissement destinataire (ou sa PUI) confirme la réception de sa dotation.';
    expect(reason(() => w.run(`pui:${BICHAT}`, 'allocation.confirm', id))).toBe(own);
    expect(reason(() => w.run('national', 'allocation.confirm', id))).toBe(own);
    expect(reason(() => w.run('ars:11', 'allocation.confirm', id))).toBe(own);
    expect(w.stocks.roundLines.get(roundLineId(args.roundId, PITIE))?.confirmedAt).toBeNull();
    w.run(`pui:${PITIE}`, 'allocation.confirm', id, '2020-04-07T09:30:00.000Z');
    expect(w.stocks.roundLines.get(roundLineId(args.roundId, PITIE))).toMatchObject({ confirmedBy: `Dr pui:${PITIE}`, confirmedRole: `pui:${PITIE}`, confirmedAt: '2020-04-07T09:30:00.000Z', quota: 30 });
    expect(reason(() => w.run(`establishment:${PITIE}`, 'allocation.confirm', id))).toBe(`Réception déjà confirmée par Dr pui:${PITIE} le 07/04/2020 11:30.`);
    expect(reason(() => w.run(`establishment:${BICHAT}`, 'allocation.confirm', { roundId: args.roundId, finess: BICHAT }))).toContain('rien à réceptionner');
    expect(reason(() => w.run(`establishment:${PITIE}`, 'allocation.confirm', { roundId: uuid(), finess: PITIE }))).toBe('Ligne de dotation introuvable.');
  });
});
