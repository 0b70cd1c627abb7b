import type { CellKeyDownEvent, ColDef, GetRowIdParams, GridApi, ICellRendererParams, IRowNode, RowClassRules, RowClickedEvent } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { useBeds } from './store';
import { useSession } from '../stores/session';
import { buildTree, percent, totalFreshness, ageText, treeCompare, type BedRow } from './aggregate';
import { bedGridTheme } from './gridTheme';
import { depName, regionName } from './scope';
import { StaleBadge } from './Freshness';
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

const rowClassRules: RowClassRules<BedRow> = {
  'bed-row-region': (p) => p.data?.kind === 'region',
  'bed-row-dep': (p) => p.data?.kind === 'dep',
  'bed-row-establishment': (p) => p.data?.kind === 'establishment',
  'bed-row-unit': (p) => p.data?.kind === 'unit',
  'bed-row-stale': (p) => Boolean(p.data?.kind === 'unit' && p.data.stale),
  'bed-row-pending': (p) => Boolean(p.data?.pending),
};

function toggle(row: BedRow) {
  if (row.hasChildren && row.kind !== 'unit') useBeds.getState().setExpanded(row.id, !row.expanded);
}

function NameCell({ data }: ICellRendererParams<BedRow>) {
  if (!data) return null;
  const isGroup = data.kind !== 'unit';
  return (
    <span className="bed-name" style={{ paddingLeft: data.level * 18 }} data-testid={`bed-row-${data.id}`}>
      {isGroup ? (
        <button
          type="button"
          className="tree-toggle"
          tabIndex={-1}
          aria-expanded={data.expanded}
          aria-label={data.expanded ? ui.beds.collapse : ui.beds.expand}
          onClick={(e) => {
            e.stopPropagation();
            toggle(data);
          }}
        >
          {data.expanded ? '▾' : '▸'}
        </button>
      ) : (
        <span className="tree-leaf" aria-hidden="true" />
      )}
      <span className="bed-label" title={data.title}>{data.label}</span>
      {data.detail && <span className="bed-detail">{data.detail}</span>}
      {isGroup && <span className="bed-count">{ui.beds.units(data.units)}</span>}
      {data.pending && (
        <span className="badge badge-pending" title={ui.beds.pendingTitle}>
          {ui.beds.pending}
        </span>
      )}
    </span>
  );
}

function FreshnessCell({ data }: ICellRendererParams<BedRow>) {
  const now = useBeds((s) => s.now);
  if (!data) return null;
  if (data.kind === 'unit') {
    return (
      <span className={`age${data.stale ? ' is-stale' : ''}`}>
        {ageText(data.at, now)}
        {data.stale && <StaleBadge />}
      </span>
    );
  }
  return (
    <span className={`total-freshness${data.staleUnits ? ' has-stale' : ''}`} data-stale-units={data.staleUnits}>
      {data.staleUnits > 0 && <span className="stale-icon" aria-hidden="true">⚠ </span>}
      {totalFreshness(
        { installed: 0, staffed: 0, available: 0, surge: 0, units: data.units, staleUnits: data.staleUnits, oldestAt: data.oldestAt, newestAt: null },
        now,
      )}
    </span>
  );
}

function TensionCell({ data }: ICellRendererParams<BedRow>) {
  if (!data) return null;
  return (
    <span className={`tension-chip tension-${data.tension}`} title={ui.beds.tension[data.tension]} data-tension={data.tension}>
      {ui.beds.tension.glyph[data.tension] && <span className="tension-glyph" aria-hidden="true">{ui.beds.tension.glyph[data.tension]} </span>}
      {percent(data.occupancy)}
    </span>
  );
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

  const columnDefs = useMemo<ColDef<BedRow>[]>(() => {
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
        cellRenderer: NameCell,
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
        cellRenderer: TensionCell,
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
        cellRenderer: FreshnessCell,
        width: 360,
        ...tree((r) => (r.at ? Date.parse(r.at) : null)),
      },
    ];
  }, []);

  // Rows reach AG Grid through its API: a live change that leaves the same rows in the same
  // order is one transaction updating the rows whose figures changed (unchanged rows keep
  // their objects); a new set of rows (a group opened, a filter) replaces the row data.
  const apiRef = useRef<GridApi<BedRow> | null>(null);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const shownRef = useRef<BedRow[] | null>(null);
  const showRows = useCallback((api: GridApi<BedRow>, next: BedRow[]) => {
    shownRef.current = showInGrid(api, shownRef.current, next);
  }, []);
  useEffect(() => {
    const api = apiRef.current;
    if (api && !api.isDestroyed()) showRows(api, rows);
  }, [rows, showRows]);

  // Live updates flash the figures that changed, on the unit and on every total above it.
  // (Not AG Grid's automatic change flash: a filter also changes group totals, and that is no news.)
  // When the store says which units its last merge changed, only those are compared.
  const delta = useBeds((s) => s.delta);
  const previous = useRef<Map<string, UnitView> | null>(null);
  useEffect(() => {
    const prev = previous.current;
    const incremental = prev !== null && delta !== null && delta.units === units && !delta.full;
    let candidates: readonly UnitView[] = units;
    if (incremental) {
      candidates = delta.changed;
    } else {
      previous.current = new Map(units.map((u) => [unitRowId(u), u]));
    }
    if (!prev) return;
    const changes: Array<{ rowIds: string[]; columns: NumKey[] }> = [];
    for (const u of candidates) {
      const id = unitRowId(u);
      const p = prev.get(id);
      const columns = (['available', 'staffed', 'installed'] as const).filter((k) => !p || p[k] !== u[k]);
      if (columns.length) changes.push({ rowIds: [id, `E:${u.finess}`, `D:${u.dep}`, `R:${u.region}`], columns });
      if (incremental) prev.set(id, u);
    }
    if (incremental) for (const key of delta.removed) prev.delete(`U:${key}`);
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

  const defaultColDef = useMemo<ColDef<BedRow>>(() => ({ resizable: true, sortable: true, suppressHeaderMenuButton: true }), []);
  const localeText = useMemo(() => ({ noRowsToShow: ui.beds.noRows, loadingOoo: ui.beds.loading }), []);

  const onRowClicked = useCallback(
    (e: RowClickedEvent<BedRow>) => {
      const u = e.data?.unit;
      if (u) select({ finess: u.finess, unitId: u.unitId, unitType: u.unitType });
    },
    [select],
  );

  // Keyboard: Entrée or Espace opens/closes a group, or shows a unit's history.
  const onCellKeyDown = useCallback(
    (e: CellKeyDownEvent<BedRow>) => {
      const ev = e.event;
      if (!(ev instanceof KeyboardEvent) || !e.data) return;
      if (ev.key !== 'Enter' && ev.key !== ' ') return;
      ev.preventDefault();
      if (e.data.kind === 'unit' && e.data.unit) select({ finess: e.data.unit.finess, unitId: e.data.unit.unitId, unitType: e.data.unit.unitType });
      else toggle(e.data);
    },
    [select],
  );

  return (
    <div className="bed-grid" role="region" aria-label={ui.beds.gridLabel} data-testid="beds-grid">
      <AgGridReact<BedRow>
        theme={bedGridTheme}
        columnDefs={columnDefs}
        defaultColDef={defaultColDef}
        getRowId={getRowId}
        rowClassRules={rowClassRules}
        onRowClicked={onRowClicked}
        onCellKeyDown={onCellKeyDown}
        onGridReady={(e) => {
          apiRef.current = e.api;
          showRows(e.api, rowsRef.current);
        }}
        loading={!loaded}
        localeText={localeText}
        animateRows={false}
        suppressDragLeaveHidesColumns
        enableCellTextSelection
      />
    </div>
  );
}
