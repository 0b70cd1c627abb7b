/**
 * The bed grid (« Lits » → « Grille »): AG Grid's plain JavaScript grid (`createGrid`, the
 * stocks grid's way) with cells drawn as plain DOM, not ag-grid-react rendering each cell
 * through React. Measured on the national picture (18,000 units; web host, Chromium, machine
 * loaded by other jobs, performance marks): from the grid's first render to its first row in
 * the page, 309-477 ms (median ~390) with ag-grid-react, 91-234 ms (median ~145) now; the CPU
 * profile had ag-grid-react's per-cell components, refs and layout reads as the grid's cost.
 * Rows carry the tree (région → département → établissement → unité, `buildTree`); the
 * freshness cells are drawn again when the clock ticks, live changes flash the figures.
 */
import { createGrid, type CellKeyDownEvent, type ColDef, type GetRowIdParams, type GridApi, type GridOptions, type ICellRendererParams, type IRowNode, type RowClassParams, type RowClassRules, type RowClickedEvent } from 'ag-grid-community';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { useBeds } from './store';
import { useSession } from '../stores/session';
import { buildTree, percent, totalFreshness, ageText, treeCompare, type BedRow } from './aggregate';
import { bedGridTheme } from './gridTheme';
import { depName, regionName } from './scope';
import type { UnitView } from '../../../common/domain/beds/views';

const getRowId = (p: GetRowIdParams<BedRow>) => p.data.id;
const unitRowId = (u: { finess: string; unitId: string }) => `U:${u.finess}:${u.unitId}`;

/** What a row shows or sorts on (its chain aside): a row equal on all of these needs no update. */
function sameRow(a: BedRow, b: BedRow): boolean {
  return (
    a.id === b.id &&
    a.label === b.label &&
    a.detail === b.detail &&
    a.available === b.available &&
    a.staffed === b.staffed &&
    a.installed === b.installed &&
    a.surge === b.surge &&
    a.occupancy === b.occupancy &&
    a.tension === b.tension &&
    a.units === b.units &&
    a.staleUnits === b.staleUnits &&
    a.oldestAt === b.oldestAt &&
    a.at === b.at &&
    a.stale === b.stale &&
    a.pending === b.pending &&
    a.expanded === b.expanded &&
    a.hasChildren === b.hasChildren &&
    a.unit === b.unit &&
    a.covidPos === b.covidPos
  );
}

/**
 * Shows `next` in the grid and returns the rows it now holds. Same rows in the same order:
 * one transaction with the changed rows; the unchanged ones stay, their chains pointed at
 * the rows now shown (the tree sort reads the parents' values through them).
 */
function showInGrid(api: GridApi<BedRow>, shown: BedRow[] | null, next: BedRow[]): BedRow[] {
  if (!shown || shown.length !== next.length || shown.some((r, i) => r.id !== next[i].id)) {
    api.setGridOption('rowData', next);
    return next;
  }
  const update: BedRow[] = [];
  const kept = new Map<string, BedRow>();
  const result = next.map((row, i) => {
    const old = shown[i];
    if (sameRow(old, row)) {
      kept.set(old.id, old);
      return old;
    }
    update.push(row);
    return row;
  });
  if (update.length === 0) return shown;
  const byId = new Map(result.map((r) => [r.id, r]));
  for (const row of kept.values()) row.chain = row.chain.map((r) => byId.get(r.id) ?? r);
  api.applyTransaction({ update });
  return result;
}

/** A row's kind never changes (its id says it): its class is set once, when AG Grid creates the row. */
const getRowClass = (p: RowClassParams<BedRow>) => (p.data ? `bed-row-${p.data.kind}` : undefined);

/** What a live change may turn on or off (AG Grid evaluates these again when a row's data changes). */
const rowClassRules: RowClassRules<BedRow> = {
  'bed-row-stale': (p) => Boolean(p.data?.kind === 'unit' && p.data.stale),
  'bed-row-pending': (p) => Boolean(p.data?.pending),
};

function toggle(row: BedRow) {
  if (row.hasChildren && row.kind !== 'unit') useBeds.getState().setExpanded(row.id, !row.expanded);
}

/** A span of `className` holding `text` (DOM built directly: the grid's cells are plain, no React). */
function span(className: string, text: string): HTMLSpanElement {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  return el;
}

/** The "périmé" mark of `StaleBadge` (Freshness.tsx), as plain DOM: an icon and the word, never the colour alone. */
function staleBadge(): HTMLSpanElement {
  const el = span('stale-badge', '');
  el.dataset.testid = 'stale-badge';
  el.title = ui.beds.staleTitle(useBeds.getState().settings.staleAfterHours);
  const icon = span('stale-icon', '⚠');
  icon.setAttribute('aria-hidden', 'true');
  el.append(icon, ui.beds.stale);
  return el;
}

/** The name cell: the tree's indent and toggle, the label, a group's unit count, « en attente ». */
function nameCell({ data }: ICellRendererParams<BedRow>): HTMLElement | string {
  if (!data) return '';
  const isGroup = data.kind !== 'unit';
  const el = span('bed-name', '');
  el.style.paddingLeft = `${data.level * 18}px`;
  el.dataset.testid = `bed-row-${data.id}`;
  if (isGroup) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'tree-toggle';
    button.tabIndex = -1;
    button.setAttribute('aria-expanded', String(data.expanded));
    button.setAttribute('aria-label', data.expanded ? ui.beds.collapse : ui.beds.expand);
    button.textContent = data.expanded ? '▾' : '▸';
    button.addEventListener('click', (e) => {
      e.stopPropagation();
      toggle(data);
    });
    el.append(button);
  } else {
    const leaf = span('tree-leaf', '');
    leaf.setAttribute('aria-hidden', 'true');
    el.append(leaf);
  }
  const label = span('bed-label', data.label);
  if (data.title) label.title = data.title;
  el.append(label);
  if (data.detail) el.append(span('bed-detail', data.detail));
  if (isGroup) el.append(span('bed-count', ui.beds.units(data.units)));
  if (data.pending) {
    const badge = span('badge badge-pending', ui.beds.pending);
    badge.title = ui.beds.pendingTitle;
    el.append(badge);
  }
  return el;
}

/** The freshness cell, measured against the store's clock (refreshed when it ticks). */
function freshnessCell({ data }: ICellRendererParams<BedRow>): HTMLElement | string {
  if (!data) return '';
  const now = useBeds.getState().now;
  if (data.kind === 'unit') {
    const el = span(`age${data.stale ? ' is-stale' : ''}`, ageText(data.at, now));
    if (data.stale) el.append(staleBadge());
    return el;
  }
  const el = span(`total-freshness${data.staleUnits ? ' has-stale' : ''}`, '');
  el.dataset.staleUnits = String(data.staleUnits);
  if (data.staleUnits > 0) {
    const icon = span('stale-icon', '⚠ ');
    icon.setAttribute('aria-hidden', 'true');
    el.append(icon);
  }
  el.append(
    totalFreshness(
      { installed: 0, staffed: 0, available: 0, surge: 0, units: data.units, staleUnits: data.staleUnits, oldestAt: data.oldestAt, newestAt: null },
      now,
    ),
  );
  return el;
}

/** The tension chip: a glyph beside the colour, and the occupancy. */
function tensionCell({ data }: ICellRendererParams<BedRow>): HTMLElement | string {
  if (!data) return '';
  const el = span(`tension-chip tension-${data.tension}`, '');
  el.title = ui.beds.tension[data.tension];
  el.dataset.tension = data.tension;
  const glyph = ui.beds.tension.glyph[data.tension];
  if (glyph) {
    const g = span('tension-glyph', `${glyph} `);
    g.setAttribute('aria-hidden', 'true');
    el.append(g);
  }
  el.append(percent(data.occupancy));
  return el;
}

type NumKey = 'available' | 'staffed' | 'installed' | 'surge';

/** The bed grid: a région → département → établissement → unité tree with totals and freshness. */
export function BedGrid() {
  const units = useBeds((s) => s.units);
  const loaded = useBeds((s) => s.loaded);
  const now = useBeds((s) => s.now);
  const settings = useBeds((s) => s.settings);
  const filter = useBeds((s) => s.filter);
  const expanded = useBeds((s) => s.expanded);
  const select = useBeds((s) => s.select);
  const referential = useSession((s) => s.referential);

  const rows = useMemo(
    () =>
      buildTree(units, {
        now,
        settings,
        filter,
        expanded,
        regionLabel: (c) => regionName(referential, c),
        depLabel: (c) => depName(referential, c),
      }),
    [units, now, settings, filter, expanded, referential],
  );

  // The grid's listeners are set once: they call the latest `select`.
  const selectRef = useRef(select);
  selectRef.current = select;

  const box = useRef<HTMLDivElement>(null);
  const apiRef = useRef<GridApi<BedRow> | null>(null);
  /** The rows the grid holds (see `showInGrid`). */
  const shownRef = useRef<BedRow[] | null>(null);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;

  // Created before the browser paints (layout effect), with its rows: the first frame shows them.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const first = rowsRef.current;
    const options: GridOptions<BedRow> = {
      theme: bedGridTheme,
      rowData: first,
      columnDefs: columnDefs(),
      defaultColDef: { resizable: true, sortable: true, suppressHeaderMenuButton: true },
      getRowId,
      getRowClass,
      rowClassRules,
      onRowClicked: (e: RowClickedEvent<BedRow>) => {
        const u = e.data?.unit;
        if (u) selectRef.current({ finess: u.finess, unitId: u.unitId, unitType: u.unitType });
      },
      // Keyboard: Entrée or Espace opens/closes a group, or shows a unit's history.
      onCellKeyDown: (e: CellKeyDownEvent<BedRow>) => {
        const ev = e.event;
        if (!(ev instanceof KeyboardEvent) || !e.data) return;
        if (ev.key !== 'Enter' && ev.key !== ' ') return;
        ev.preventDefault();
        if (e.data.kind === 'unit' && e.data.unit) selectRef.current({ finess: e.data.unit.finess, unitId: e.data.unit.unitId, unitType: e.data.unit.unitType });
        else toggle(e.data);
      },
      loading: !useBeds.getState().loaded,
      localeText: { noRowsToShow: ui.beds.noRows, loadingOoo: ui.beds.loading },
      animateRows: false,
      suppressDragLeaveHidesColumns: true,
      enableCellTextSelection: true,
    };
    apiRef.current = createGrid(el, options);
    shownRef.current = first;
    return () => {
      apiRef.current?.destroy();
      apiRef.current = null;
      shownRef.current = null;
    };
    // Created once per mount; later rows go through the effects below.
  }, []);

  // Rows reach AG Grid through its API: a live change that leaves the same rows in the same
  // order is one transaction updating the rows whose figures changed (unchanged rows keep
  // their objects); a new set of rows (a group opened, a filter) replaces the row data.
  useEffect(() => {
    const api = apiRef.current;
    if (api && !api.isDestroyed() && shownRef.current !== rows) shownRef.current = showInGrid(api, shownRef.current, rows);
  }, [rows]);

  useEffect(() => {
    const api = apiRef.current;
    if (api && !api.isDestroyed()) api.setGridOption('loading', !loaded);
  }, [loaded]);

  // Ages move with the clock alone, and the stale mark's title with the settings: the
  // freshness cells are drawn again when either changes.
  const drawnWith = useRef({ now, settings });
  useEffect(() => {
    const api = apiRef.current;
    const drawn = drawnWith.current;
    if ((drawn.now === now && drawn.settings === settings) || !api || api.isDestroyed()) return;
    drawnWith.current = { now, settings };
    api.refreshCells({ columns: ['freshness'], force: true });
  }, [now, settings]);

  // Live updates flash the figures that changed, on the unit and on every total above it.
  // (Not AG Grid's automatic change flash: a filter also changes group totals, and that is no news.)
  // When the store says which units its last merge changed, only those are compared. The
  // units shown before are indexed only when a change comes (not when the grid opens: 18,000
  // keys for a national picture, before its first paint).
  const delta = useBeds((s) => s.delta);
  const previous = useRef<{ units: readonly UnitView[]; byId: Map<string, UnitView> | null } | null>(null);
  useEffect(() => {
    const prev = previous.current;
    if (!prev || prev.units === units) {
      previous.current = prev ?? { units, byId: null };
      return;
    }
    const byId = prev.byId ?? new Map(prev.units.map((u) => [unitRowId(u), u]));
    const incremental = delta !== null && delta.units === units && !delta.full;
    const candidates: readonly UnitView[] = incremental ? delta.changed : units;
    const changes: Array<{ rowIds: string[]; columns: NumKey[] }> = [];
    for (const u of candidates) {
      const id = unitRowId(u);
      const p = byId.get(id);
      const columns = (['available', 'staffed', 'installed'] as const).filter((k) => !p || p[k] !== u[k]);
      if (columns.length) changes.push({ rowIds: [id, `E:${u.finess}`, `D:${u.dep}`, `R:${u.region}`], columns });
      if (incremental) byId.set(id, u);
    }
    if (incremental) {
      for (const key of delta.removed) byId.delete(`U:${key}`);
      previous.current = { units, byId };
    } else {
      previous.current = { units, byId: null };
    }
    if (!changes.length) return;
    // After AG Grid has taken the new rows in. Not cancelled by the next refresh (which may
    // bring the same figures a few milliseconds later): a flash is never lost.
    setTimeout(() => {
      const api = apiRef.current;
      if (!api || api.isDestroyed()) return;
      for (const c of changes) {
        const rowNodes = c.rowIds.map((id) => api.getRowNode(id)).filter((n): n is IRowNode<BedRow> => n !== undefined);
        if (rowNodes.length) api.flashCells({ rowNodes, columns: c.columns });
      }
    }, 50);
  }, [units, delta]);

  return <div className="bed-grid" role="region" aria-label={ui.beds.gridLabel} data-testid="beds-grid" ref={box} />;
}

/** The grid's columns; the tree-aware sort keeps every row under its parent. */
function columnDefs(): ColDef<BedRow>[] {
  const tree = (valueOf: (r: BedRow) => number | string | null): Pick<ColDef<BedRow>, 'comparator'> => ({
    comparator: (_a, _b, na, nb, desc) => (na.data && nb.data ? treeCompare(na.data, nb.data, valueOf, desc) : 0),
  });
  const num = (key: NumKey, headerName: string, headerTooltip: string): ColDef<BedRow> => ({
    colId: key,
    headerName,
    headerTooltip,
    field: key,
    width: 112,
    type: 'rightAligned',
    cellClass: (p) => `num num-${key}${p.data && p.data.kind !== 'unit' ? ' num-total' : ''}`,
    ...tree((r) => r[key]),
  });
  return [
    {
      colId: 'name',
      headerName: ui.beds.col.name,
      // The value carries what the cell shows, so that AG Grid re-renders it when any of it changes.
      valueGetter: (p) => (p.data ? `${p.data.label}|${p.data.expanded}|${p.data.units}|${p.data.pending}` : ''),
      cellRenderer: nameCell,
      flex: 1,
      minWidth: 380,
      ...tree((r) => r.label),
      // Without an explicit sort, rows keep the tree order built by buildTree.
      sort: null,
    },
    num('available', ui.beds.col.available, ui.beds.colTitle.available),
    num('staffed', ui.beds.col.staffed, ui.beds.colTitle.staffed),
    num('installed', ui.beds.col.installed, ui.beds.colTitle.installed),
    { ...num('surge', ui.beds.col.surge, ui.beds.colTitle.surge), width: 96, valueFormatter: (p) => (p.value ? `+${p.value}` : ui.beds.detail.none) },
    {
      colId: 'occupancy',
      headerName: ui.beds.col.occupancy,
      headerTooltip: ui.beds.colTitle.occupancy,
      valueGetter: (p) => (p.data ? `${p.data.occupancy}|${p.data.tension}` : null),
      cellRenderer: tensionCell,
      width: 120,
      ...tree((r) => r.occupancy),
    },
    {
      colId: 'covidPos',
      headerName: ui.beds.col.covidPos,
      field: 'covidPos',
      width: 92,
      type: 'rightAligned',
      valueFormatter: (p) => (p.value === null || p.value === undefined ? ui.beds.detail.none : String(p.value)),
      cellClass: 'num num-muted',
      ...tree((r) => r.covidPos),
    },
    {
      colId: 'freshness',
      headerName: ui.beds.col.freshness,
      // Staleness changes with the clock alone: it is part of the value so that the cell re-renders.
      valueGetter: (p) => (p.data ? `${p.data.at}|${p.data.staleUnits}|${p.data.units}` : null),
      cellRenderer: freshnessCell,
      width: 360,
      ...tree((r) => (r.at ? Date.parse(r.at) : null)),
    },
  ];
}
