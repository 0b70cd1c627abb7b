// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useBeds } from './store';
import { Dashboard } from './Dashboard';
import { UnitDetail } from './UnitDetail';
import { UnitForm } from './UnitForm';
import { DEFAULT_FRESHNESS } from '../../../common/domain/beds/totals';
import type { UnitView } from '../../../common/domain/beds/views';
import type { CallArgs } from '../../../common/api';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const NOW = Date.parse('2026-03-24T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();

function unit(p: Partial<UnitView> & Pick<UnitView, 'finess' | 'unitType'>): UnitView {
  return {
    id: `${p.finess}-${p.unitType}`,
    unitId: p.unitType,
    unitName: null,
    atKnown: true,
    surge: null,
    assignment: null,
    temporary: false,
    ror: null,
    installed: 10,
    staffed: 10,
    available: 5,
    covidPos: null,
    covidNeg: null,
    extra24h: null,
    extra72h: null,
    comment: '',
    source: 'app',
    reportedBy: 'x',
    reportedRole: 'establishment:x',
    at: hoursAgo(1),
    version: 1,
    pending: false,
    establishmentName: 'Hôpital',
    establishmentShortName: 'Hôpital',
    city: 'Paris',
    dep: '75',
    region: '11',
    lat: null,
    lon: null,
    ...p,
  };
}

let host: HTMLDivElement;
let root: Root;
const byTestId = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`);

function setInput(id: string, value: string) {
  const el = byTestId(id) as HTMLInputElement;
  // React tracks the value property: set it through the prototype's setter, then fire input.
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  setter?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

beforeEach(() => {
  useBeds.getState().reset();
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('tension dashboard', () => {
  it('colours cells on free beds with a second cue, marks stale units, surge and empty cells, and follows new figures live', () => {
    useBeds.setState({
      now: NOW,
      settings: DEFAULT_FRESHNESS,
      units: [
        unit({ finess: '750100125', unitType: 'REA_MED', available: 8, staffed: 10, at: hoursAgo(30) }),
        unit({ finess: '920000001', unitType: 'REA_MED', dep: '92', available: 0, staffed: 18, installed: 12, surge: 6 }),
        unit({ finess: '920000001', unitType: 'USC_MED', dep: '92', available: 5, staffed: 32 }),
      ],
    });
    act(() => root.render(<Dashboard deps={['75', '92', '93']} territoryLabel="Île-de-France" />));
    const cell = byTestId('dashboard-cell-REA_MED-75');
    expect(cell?.dataset.tension).toBe('green');
    expect(cell?.dataset.staleUnits).toBe('1');
    // 0 free of 18 and 5 free of 32 read apart: the saturated one with ✕ beside its colour.
    const full = byTestId('dashboard-cell-REA_MED-92');
    expect(full?.dataset.tension).toBe('red');
    expect(full?.textContent).toContain('✕');
    expect(full?.textContent).toContain('⇡6');
    expect(full?.title).toContain('18 armés (dont 6 de renfort)');
    expect(byTestId('dashboard-cell-USC_MED-92')?.dataset.tension).toBe('green');
    expect(byTestId('dashboard-cell-REA_MED-93')?.textContent).toBe('—');
    expect(byTestId('dashboard-cell-REA_MED-93')?.dataset.tension).toBe('none');
    expect(byTestId('dashboard-cell-group-reanimation-75')?.textContent).toContain('1 unité périmée · plus ancienne il y a 30 h');
    // No cell adds réanimation and surveillance continue together.
    expect(byTestId('dashboard-total-92')).toBeNull();
    expect(byTestId('dashboard-cell-group-reanimation-92')?.textContent).toContain('0/ 18');

    act(() => useBeds.setState({ units: [unit({ finess: '750100125', unitType: 'REA_MED', available: 2, staffed: 10 })] }));
    expect(byTestId('dashboard-cell-REA_MED-75')?.dataset.tension).toBe('orange');
    expect(byTestId('dashboard-cell-REA_MED-75')?.textContent).toContain('▲');
    expect(byTestId('dashboard-cell-REA_MED-75')?.dataset.staleUnits).toBe('0');
    expect(byTestId('dashboard-cell-REA_MED-92')?.dataset.tension).toBe('none');
  });
});

describe('quick form', () => {
  const reports: Array<CallArgs<'beds.report'>> = [];
  beforeEach(() => {
    reports.length = 0;
    useBeds.setState({
      now: NOW,
      units: [
        unit({ finess: '750100125', unitType: 'REA_MED', installed: 20, staffed: 18, available: 3 }),
        unit({ finess: '750100125', unitType: 'USC_MED', installed: 8, staffed: 8, available: 2, at: hoursAgo(30) }),
      ],
      report: vi.fn(async (args: CallArgs<'beds.report'>) => {
        reports.push(args);
        return null;
      }),
    });
    act(() => root.render(<UnitForm finess="750100125" />));
  });
  const press = (id: string, key: string) =>
    act(async () => {
      byTestId(id)?.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    });
  const enter = () => press('unit-form-REA_MED-available', 'Enter');
  const click = (id: string) => act(async () => byTestId(id)?.click());

  it('is prefilled with the current figures; Entrée with nothing edited re-dates nothing', async () => {
    expect((byTestId('unit-form-REA_MED-installed') as HTMLInputElement).value).toBe('20');
    expect(document.activeElement).toBe(byTestId('unit-form-REA_MED-installed'));
    await enter();
    expect(reports).toEqual([]);
    expect(byTestId('unit-form-status')?.textContent).toContain('Rien à enregistrer');
  });

  it('sends only the edited unit: the other keeps its age', async () => {
    act(() => setInput('unit-form-REA_MED-available', '4'));
    await enter();
    expect(reports).toEqual([expect.objectContaining({ unitType: 'REA_MED', unitId: 'REA_MED', available: 4 })]);
    expect(byTestId('unit-form-status')?.textContent).toBe('1 unité enregistrée');
  });

  it('a unit ticked « inchangé » is confirmed with its figures; typing them back is no edit', async () => {
    act(() => setInput('unit-form-REA_MED-available', '3'));
    await click('unit-form-USC_MED-same');
    await enter();
    expect(reports).toEqual([expect.objectContaining({ unitType: 'USC_MED', installed: 8, staffed: 8, available: 2 })]);
    // Sent: the tick is cleared, the next Entrée sends nothing.
    expect((byTestId('unit-form-USC_MED-same') as HTMLInputElement).checked).toBe(false);
  });

  it('refuses implausible figures in French and sends nothing', async () => {
    act(() => setInput('unit-form-REA_MED-available', '19'));
    expect(byTestId('unit-form-REA_MED-errors')?.textContent).toContain('Lits disponibles (19) supérieurs aux lits armés (18)');
    await enter();
    expect(reports).toEqual([]);
  });

  it('a jump is confirmed only deliberately: reflex Entrées go back to the entry, the box must be ticked', async () => {
    act(() => setInput('unit-form-REA_MED-installed', '300'));
    act(() => setInput('unit-form-REA_MED-staffed', '18'));
    await enter();
    expect(reports).toEqual([]);
    expect(byTestId('jump-confirm')?.textContent).toContain('Installés : 20 → 300');
    // The dialog opens on « Revenir à la saisie », and « Confirmer » is disabled until the box is ticked.
    expect(document.activeElement).toBe(byTestId('jump-cancel'));
    expect((byTestId('jump-confirm-ok') as HTMLButtonElement).disabled).toBe(true);
    await click('jump-cancel');
    expect(byTestId('jump-confirm')).toBeNull();
    expect(reports).toEqual([]);

    act(() => setInput('unit-form-REA_MED-installed', '30'));
    act(() => setInput('unit-form-REA_MED-available', '9'));
    await enter();
    expect(byTestId('jump-confirm')?.textContent).toContain('Disponibles : 3 → 9');
    await press('jump-confirm', 'Escape');
    expect(byTestId('jump-confirm')).toBeNull();
    await enter();
    await click('jump-confirm-check');
    await click('jump-confirm-ok');
    expect(reports).toEqual([expect.objectContaining({ installed: 30, available: 9, confirmJump: true })]);
    expect(byTestId('jump-confirm')).toBeNull();
  });

  it('adds a second unit of a type, named, as its own unit', async () => {
    const add = byTestId('unit-form-add') as HTMLSelectElement;
    act(() => {
      const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')?.set;
      setter?.call(add, 'REA_MED');
      add.dispatchEvent(new Event('change', { bubbles: true }));
    });
    act(() => {
      setInput('unit-form-new-1-installed', '10');
      setInput('unit-form-new-1-staffed', '8');
      setInput('unit-form-new-1-available', '2');
    });
    await press('unit-form-new-1-available', 'Enter');
    expect(reports).toEqual([]);
    expect(byTestId('unit-form-new-1-errors')?.textContent).toContain('Nommez cette unité');
    act(() => setInput('unit-form-new-1-name', 'Babinski'));
    await press('unit-form-new-1-available', 'Enter');
    expect(reports).toEqual([expect.objectContaining({ unitType: 'REA_MED', unitId: 'Babinski', unitName: 'Babinski', installed: 10, staffed: 8, available: 2 })]);
  });
});

describe('unit history', () => {
  it('draws the reports and says when the history is partial (offline)', () => {
    const u = unit({ finess: '750100125', unitType: 'REA_MED', available: 2, staffed: 10, installed: 12, at: hoursAgo(2) });
    const older = { ...u, id: 'older', available: 6, at: hoursAgo(26), version: 0 };
    useBeds.setState({
      now: NOW,
      units: [u],
      selected: { finess: '750100125', unitId: 'REA_MED', unitType: 'REA_MED' },
      history: { reports: [u, older], complete: false },
      historyKey: '750100125:REA_MED',
    });
    act(() => root.render(<UnitDetail />));
    expect(byTestId('unit-history')?.textContent).toContain('2 relevés');
    expect(byTestId('history-partial')?.textContent).toBe('données partielles (hors ligne)');
    expect(host.querySelectorAll('path.chart-line')).toHaveLength(3);
    expect(host.querySelectorAll('circle.chart-point')).toHaveLength(2);

    act(() => useBeds.setState({ history: { reports: [u, older], complete: true } }));
    expect(byTestId('history-partial')).toBeNull();
  });
});
