/**
 * The bed board's state: the current figures of every unit in the user's scope (read once,
 * then on each `data.changed` naming `unit` only the units that changed since the last read,
 * merged in: `beds.changes` with main's change counter), the freshness settings, the clock
 * the staleness is computed from (`now`, re-read every minute from `Date.now()`), the view
 * choices, and the history of the selected unit.
 */
import { create } from 'zustand';
import { EMPTY_FILTER, type GridFilter } from './aggregate';
import { call } from '../app/call';
import { createCoalescer } from '../app/coalesce';
import { DEFAULT_FRESHNESS, type FreshnessSettings } from '../../../common/domain/beds/totals';
import type { UnitGroup } from '../../../common/domain/beds/unitTypes';
import type { UnitChangesView, UnitHistory, UnitView } from '../../../common/domain/beds/views';
import { decodeUnitChanges } from '../../../common/domain/beds/wire';
import { heldBeds, withHolds } from '../../../common/domain/transfers/holds';
import type { BedHold } from '../../../common/domain/transfers/model';
import type { CallArgs, ConsoleEvents } from '../../../common/api';

export type BedsTab = 'around' | 'grid' | 'dashboard' | 'map' | 'form' | 'bulletin';

/** A past picture on show instead of the live one ("as of" view). */
export interface AsOf {
  /** The instant (ISO). */
  at: string;
  /** False when built offline from what this workstation's cache saw. */
  complete: boolean;
}

/** The beds around a SAMU: the units of the départements bordering its own, read on demand. */
export interface Around {
  units: UnitView[];
  complete: boolean;
  /** When they were read (workstation clock). */
  readAt: number;
}

export interface SelectedUnit {
  finess: string;
  unitId: string;
  unitType: string;
}

/**
 * The last merge into `units`: which units it changed (their new views) and which it
 * removed, for views that update only what changed (the grid's transactions and flashes).
 * `units` is the array it produced: a view holding another array (set some other way)
 * must compare everything.
 */
export interface UnitsDelta {
  units: UnitView[];
  full: boolean;
  changed: UnitView[];
  removed: string[];
}

/** `finess:unitId`, the key of a unit in the store. */
export const unitKeyOf = (u: { finess: string; unitId: string }) => `${u.finess}:${u.unitId}`;

/** How many days of history the chart asks for. */
export const HISTORY_DAYS = 14;

interface BedsState {
  units: UnitView[];
  delta: UnitsDelta | null;
  loaded: boolean;
  error: string | null;
  settings: FreshnessSettings;
  /** The time staleness is measured against; ticks every minute. */
  now: number;
  tab: BedsTab | null;
  filter: GridFilter;
  expanded: Record<string, boolean>;
  mapGroup: UnitGroup;
  mapDep: string | null;
  /** National users: the region whose départements the dashboard shows ('' or null: France by region). */
  dashboardRegion: string | null;
  /** National map: régions (the default) or départements. */
  mapLevel: 'region' | 'departement';
  asOf: AsOf | null;
  around: Around | null;
  aroundError: string | null;
  /** The SAMU view's unit choice: a type code or `group:<group>`. */
  aroundChoice: string;
  selected: SelectedUnit | null;
  history: UnitHistory | null;
  historyKey: string | null;
  historyError: string | null;

  load(): Promise<void>;
  loadSettings(): Promise<void>;
  saveSettings(s: FreshnessSettings): Promise<string | null>;
  onDataChanged(entities: ConsoleEvents['data.changed']['entities']): void;
  tick(): void;
  setTab(tab: BedsTab): void;
  setFilter(patch: Partial<GridFilter>): void;
  setExpanded(id: string, open: boolean): void;
  setAllExpanded(ids: string[], open: boolean): void;
  setMapGroup(g: UnitGroup): void;
  setMapDep(dep: string | null): void;
  setDashboardRegion(region: string): void;
  setMapLevel(level: 'region' | 'departement'): void;
  /** Shows the picture at a past instant (null: back to live); resolves with an error message or null. */
  setAsOf(at: string | null): Promise<string | null>;
  loadAround(deps: string[]): Promise<void>;
  setAroundChoice(choice: string): void;
  select(unit: SelectedUnit | null): void;
  loadHistory(): Promise<void>;
  /** Sends one report; resolves with the error message, or null when written locally. */
  report(args: CallArgs<'beds.report'>): Promise<string | null>;
  reset(): void;
}

const sameSettings = (a: FreshnessSettings, b: FreshnessSettings) =>
  a.staleAfterHours === b.staleAfterHours && a.thresholds.fewFree === b.thresholds.fewFree;

const keyOf = (u: SelectedUnit | null) => (u ? unitKeyOf(u) : null);

function initialState() {
  return {
    units: [] as UnitView[],
    delta: null as UnitsDelta | null,
    loaded: false,
    error: null as string | null,
    settings: DEFAULT_FRESHNESS,
    now: Date.now(),
    tab: null as BedsTab | null,
    filter: EMPTY_FILTER,
    expanded: {} as Record<string, boolean>,
    mapGroup: 'reanimation' as UnitGroup,
    mapDep: null as string | null,
    dashboardRegion: null as string | null,
    mapLevel: 'region' as 'region' | 'departement',
    asOf: null as AsOf | null,
    around: null as Around | null,
    aroundError: null as string | null,
    aroundChoice: 'group:reanimation',
    selected: null as SelectedUnit | null,
    history: null as UnitHistory | null,
    historyKey: null as string | null,
    historyError: null as string | null,
  };
}

export const useBeds = create<BedsState>()((set, get) => ({
  ...initialState(),

  // Both asked at once: main answers them in order (the holds, small, first) while this
  // window is still busy with what it was drawing, so the units' answer is often ready
  // when the window comes back to it, instead of being asked only then (the national
  // picture, ~18,000 units, takes main a few hundred milliseconds to read).
  load: async () => {
    await Promise.all([holdsRefresher.run(), unitsRefresher.run()]);
  },

  async loadSettings() {
    const reply = await call('beds.settings', {});
    // The same settings again keep their object: the views built on them are not rebuilt.
    if (reply.ok && !sameSettings(get().settings, reply.data)) set({ settings: reply.data });
  },

  async saveSettings(s) {
    const reply = await call('beds.setSettings', s);
    if (!reply.ok) return reply.error.message;
    set({ settings: reply.data, ...(get().asOf ? {} : { now: Date.now() }) });
    return null;
  },

  onDataChanged(entities) {
    if (entities.includes('hold')) void holdsRefresher.run();
    if (!entities.includes('unit')) return;
    void unitsRefresher.run();
    if (get().selected) void historyRefresher.run();
  },

  // A past picture is measured against its own instant: the clock does not move it.
  tick: () => {
    if (get().asOf) return;
    // A hold expires by the clock: the figures it took come back without any change pushed.
    const units = holds.length ? held([...cache.units.values()], Date.now()) : get().units;
    set({ now: Date.now(), ...(units !== get().units ? { units, delta: null } : {}) });
  },
  setTab: (tab) => set({ tab }),
  setFilter: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),
  setExpanded: (id, open) => set((s) => ({ expanded: { ...s.expanded, [id]: open } })),
  setAllExpanded: (ids, open) =>
    set((s) => {
      const next = { ...s.expanded };
      for (const id of ids) next[id] = open;
      return { expanded: next };
    }),
  setMapGroup: (mapGroup) => set({ mapGroup }),
  setMapDep: (mapDep) => set({ mapDep }),
  setDashboardRegion: (dashboardRegion) => set({ dashboardRegion }),
  setMapLevel: (mapLevel) => set({ mapLevel }),

  async setAsOf(at) {
    if (at === null) {
      const units = [...cache.units.values()];
      set({ asOf: null, units, delta: null, now: Date.now() });
      return null;
    }
    const reply = await call('beds.picture', { at });
    if (!reply.ok) return reply.error.message;
    set({ asOf: { at, complete: reply.data.complete }, units: reply.data.units, delta: null, now: Date.parse(at), selected: null, history: null, historyKey: null });
    return null;
  },

  async loadAround(deps) {
    const reply = await call('beds.picture', { deps });
    if (reply.ok) set({ around: { units: reply.data.units, complete: reply.data.complete, readAt: Date.now() }, aroundError: null });
    else set({ aroundError: reply.error.message });
  },
  setAroundChoice: (aroundChoice) => set({ aroundChoice }),

  select(unit) {
    if (keyOf(unit) === keyOf(get().selected)) return;
    set({ selected: unit, history: null, historyKey: null, historyError: null });
    if (unit) void historyRefresher.run();
  },

  loadHistory: () => historyRefresher.run(),

  async report(args) {
    const reply = await call('beds.report', args);
    if (!reply.ok) return reply.error.message;
    // The local write is visible at once (main pushes data.changed); read it now anyway.
    void unitsRefresher.run();
    return null;
  },

  reset: () => {
    cache = { units: new Map(), cursor: 0 };
    holds = [];
    set(initialState());
  },
}));

/** Main's change counter at the last read, and the units by key it gave. */
let cache: { units: Map<string, UnitView>; cursor: number } = { units: new Map(), cursor: 0 };

/**
 * Merges an answer of `beds.changes` into the units (a full answer replaces them). The
 * array keeps the units' order, new ones at the end; unchanged views keep their identity.
 */
export function mergeUnits(units: Map<string, UnitView>, answer: Pick<UnitChangesView, 'full' | 'units' | 'removed'>): { units: Map<string, UnitView>; delta: Omit<UnitsDelta, 'units'> } {
  if (answer.full) {
    const next = new Map<string, UnitView>();
    for (const u of answer.units) next.set(unitKeyOf(u), u);
    return { units: next, delta: { full: true, changed: answer.units, removed: [...units.keys()].filter((k) => !next.has(k)) } };
  }
  const removed: string[] = [];
  for (const u of answer.units) units.set(unitKeyOf(u), u);
  for (const r of answer.removed) {
    const key = unitKeyOf(r);
    if (units.delete(key)) removed.push(key);
  }
  return { units, delta: { full: false, changed: answer.units, removed } };
}

const unitsRefresher = createCoalescer(async () => {
  const from = cache;
  const reply = await call('beds.changes', { since: from.cursor });
  // Signed out (reset) while main answered: that answer belongs to the previous picture.
  if (cache !== from) return;
  if (!reply.ok) {
    useBeds.setState({ loaded: true, error: reply.error.message });
    return;
  }
  const answer = decodeUnitChanges(reply.data);
  const nothingNew = !answer.full && answer.units.length === 0 && answer.removed.length === 0;
  const merged = mergeUnits(from.units, answer);
  cache = { units: merged.units, cursor: answer.cursor };
  if (nothingNew && useBeds.getState().loaded) {
    if (useBeds.getState().error !== null) useBeds.setState({ error: null });
    return;
  }
  // A past picture on show stays: the live one is kept and comes back with "Revenir au direct".
  if (useBeds.getState().asOf) return;
  const units = held([...merged.units.values()], Date.now());
  useBeds.setState({ units, delta: { ...merged.delta, units }, loaded: true, error: null, now: Date.now() });
});

/** The bed holds of accepted transfers in the user's scope (main lists them; `holds.ts` says which take a bed now). */
let holds: BedHold[] = [];

/** Units with the beds their holds take out of the available ones (the ROR's « réservé »). */
function held(units: UnitView[], now: number): UnitView[] {
  if (holds.length === 0) return units;
  const taken = heldBeds(holds, now, units);
  if (taken.size === 0) return units;
  return units.map((u) => (taken.has(unitKeyOf(u)) ? withHolds(u, taken) : u));
}

const holdsRefresher = createCoalescer(async () => {
  const reply = await call('transfers.holds', {});
  if (!reply.ok) return;
  // The same holds again (most often none, on every reload): the units stay the same array,
  // so no view is rebuilt (the national grid and dashboard fold 18,000 units on each).
  const same = JSON.stringify(reply.data) === JSON.stringify(holds);
  holds = reply.data;
  if (same) return;
  const s = useBeds.getState();
  if (s.loaded && !s.asOf) useBeds.setState({ units: held([...cache.units.values()], Date.now()), delta: null });
});

const historyRefresher = createCoalescer(async () => {
  const sel = useBeds.getState().selected;
  if (!sel) return;
  const key = keyOf(sel);
  const reply = await call('beds.history', { finess: sel.finess, unitType: sel.unitType, unitId: sel.unitId, days: HISTORY_DAYS });
  // A late answer for a unit no longer selected is dropped.
  if (keyOf(useBeds.getState().selected) !== key) return;
  if (reply.ok) useBeds.setState({ history: reply.data, historyKey: key, historyError: null });
  else useBeds.setState({ historyError: reply.error.message, historyKey: key });
});
