// @vitest-environment jsdom
/**
 * The allocation proposal's chart before validation (issue 9): the national cell's « Graphique
 * de la proposition » draws the key's need and the quotas as adjusted so far, and redraws (bars
 * and caption) at each quota typed in the table. uPlot draws on a canvas jsdom does not have: it
 * is replaced by a recorder of what it is given (series labels and data), which is what a test
 * can check; the e2e spec (stocksAllocation) looks at the real canvas.
 */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { allocate } from '../../../common/domain/stocks/allocation';
import type { AllocationProposalView, RoundsView } from '../../../common/domain/stocks/roundsApi';

const drawn = vi.hoisted(() => [] as Array<{ labels: string[]; data: number[][]; destroyed: boolean }>);

vi.mock('uplot', () => {
  class RecordingPlot {
    static paths = { bars: () => () => null };
    private readonly entry: { labels: string[]; data: number[][]; destroyed: boolean };
    constructor(opts: { series: Array<{ label?: string }> }, data: number[][]) {
      this.entry = { labels: opts.series.map((s) => s.label ?? ''), data, destroyed: false };
      drawn.push(this.entry);
    }
    setSize(): void {}
    destroy(): void {
      this.entry.destroyed = true;
    }
  }
  return { default: RecordingPlot };
});

const VIEW: RoundsView = { national: true, confirmFor: null, molecules: [], rounds: [] };
vi.mock('../app/call', () => ({ call: vi.fn(async () => ({ ok: true, data: VIEW })) }));

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
(globalThis as { ResizeObserver?: unknown }).ResizeObserver = class {
  observe(): void {}
  disconnect(): void {}
};

const { Allocations } = await import('./Rounds');
const { useRounds } = await import('./roundsStore');

const MG = 500;
const A = '750000001'; // need 26 u.
const B = '750000002'; // need 70 u.
const C = '750000005'; // need 13 u.

function proposalView(): AllocationProposalView {
  const proposal = allocate({
    supplyUnits: 50,
    mgPerUnit: MG,
    lines: [
      { finess: A, onHandMg: 1_000, dailyUseMg: 2_000, targetDays: 7 },
      { finess: B, onHandMg: 0, dailyUseMg: 5_000, targetDays: 7 },
      { finess: C, onHandMg: 500, dailyUseMg: 1_000, targetDays: 7 },
    ],
  });
  const names = Object.fromEntries([A, B, C].map((f) => [f, { name: `Hôpital ${f.slice(-1)}`, dep: '75', regionName: 'Île-de-France' }]));
  return { cip13: '3400956100163', presentationLabel: 'Propofol 50 ml', moleculeLabel: 'Propofol', mgPerUnit: MG, supplyUnits: 50, targetDays: 7, weightByOccupancy: false, proposal, names };
}

let host: HTMLDivElement;
let root: Root;

beforeEach(() => {
  drawn.length = 0;
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  useRounds.getState().reset();
});

const $ = (testId: string) => host.querySelector(`[data-testid="${testId}"]`);
/** The latest live units chart (the first canvas of the figure): its series in the legend's order. */
const unitsChart = () => drawn.filter((d) => !d.destroyed && d.labels.includes('Besoin (u.)')).at(-1);

/** Types into a React-controlled input as a user would (the value setter React listens behind). */
function type(input: HTMLInputElement, text: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  setter?.call(input, text);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('the allocation proposal’s chart, before validation', () => {
  it('draws need and proposed quota per establishment and follows each quota adjusted in the table', async () => {
    const view = proposalView();
    await act(async () => root.render(<Allocations />));
    act(() => useRounds.setState({ proposal: view, edits: {} }));
    // Hidden until asked: the table is what the national cell reads first.
    expect($('round-chart-proposal')).toBeNull();
    const toggle = $('alloc-proposal-chart') as HTMLButtonElement;
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    act(() => toggle.click());
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect($('round-chart-proposal')).not.toBeNull();
    expect($('round-chart-proposal-note')?.textContent).toContain('rien n’est publié avant « Valider »');

    // Sorted by need, largest first: B (70), A (26), C (13); 50 units shared in proportion.
    const quotaOf = (f: string) => view.proposal.lines.find((l) => l.finess === f)?.quota ?? -1;
    let chart = unitsChart();
    expect(chart?.labels).toEqual(['Établissement', 'Besoin (u.)', 'Quota proposé (u.)']);
    expect(chart?.data[1]).toEqual([70, 26, 13]);
    expect(chart?.data[2]).toEqual([quotaOf(B), quotaOf(A), quotaOf(C)]);
    expect(chart?.data[2].reduce((a, b) => a + b, 0)).toBe(50);
    const caption = () => ($('round-chart-caption')?.textContent ?? '').replace(/[\s\u202f\u00a0]/g, '');
    expect(caption()).toContain('Livraison:50unités·besointotal:109unités·attribué:50unités·0établissementsur3servientotalité');

    // The user gives C its whole need (13) and takes the difference from B: bars and caption follow.
    const cInput = $(`alloc-quota-${C}`) as HTMLInputElement;
    const bInput = $(`alloc-quota-${B}`) as HTMLInputElement;
    const moved = 13 - quotaOf(C);
    act(() => type(cInput, '13'));
    act(() => type(bInput, String(quotaOf(B) - moved)));
    chart = unitsChart();
    expect(chart?.data[2]).toEqual([quotaOf(B) - moved, quotaOf(A), 13]);
    expect(caption()).toContain('attribué:50unités·1établissementsur3servientotalité');
    // Cover after C's quota: (500 + 13 × 500) ÷ 1 000 = 7 days.
    const cover = drawn.filter((d) => !d.destroyed && d.labels.includes('Couverture après (j)')).at(-1);
    expect(cover?.data[2][2]).toBeCloseTo(7);

    // A quota being typed that is not a whole number yet keeps the proposed one (as the totals do).
    act(() => type(bInput, 'dix'));
    expect(unitsChart()?.data[2][0]).toBe(quotaOf(B));
    // Only the live charts remain: the earlier ones were destroyed when redrawn.
    expect(drawn.filter((d) => !d.destroyed)).toHaveLength(2);
  });
});
