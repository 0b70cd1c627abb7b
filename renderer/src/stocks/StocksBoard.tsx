/**
 * The « Stocks » board (Alt+4): establishments × molecules with on hand, daily use, days of
 * cover (coloured, with a glyph: ✕ red, ▲ orange, ? unknown) and the projected stock-out,
 * grouped by région and département, one molecule at a time by default (a select, keys 1–5;
 * 0 shows all five) beside the row's worst cover over every molecule; the national cell's pivot molecules × régions; the
 * pharmacist's quick form. Live: a report arriving by poke re-reads the board and AG Grid
 * updates (and flashes) only the rows that changed.
 */
import { createGrid, type CellKeyDownEvent, type ColDef, type ColGroupDef, type GetRowIdParams, type GridApi, type GridOptions, type ICellRendererParams, type RowClassRules, type RowClickedEvent } from 'ag-grid-community';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import type { CoverLevel, MoleculeCell } from '../../../common/domain/stocks/cover';
import type { Molecule, MoleculeCode } from '../../../common/domain/stocks/products';
import { bedGridTheme } from '../beds/gridTheme';
import { ChartPanel } from './ChartPanel';
import { StockExports } from './Exports';
import { ImportPanel } from './ImportPanel';
import { QuickForm } from './QuickForm';
import { Redeploy, RedeployMoves } from './Redeploy';
import { useRedeploy } from './redeployStore';
import { Allocations, Dotations } from './Rounds';
import { buildStockRows, pivotByRegion, type StockRow } from './rows';
import { useStocks, type GridMolecule, type StocksTab } from './store';
import { frDayMonth, frDayMonthTime, frNumber } from '../../../common/i18n/format';
import { LockedNote, useLocked } from '../policy/Locked';
import './stocks.css';

const fmt = (n: number, digits = 1) => frNumber(n, digits);
const fmtMg = (mg: number) => (mg >= 1000 ? `${fmt(mg / 1000)} g` : `${fmt(mg)} mg`);
const fmtDate = (iso: string | null) => (iso ? frDayMonth(Date.parse(iso)) : '—');
const fmtWhen = (iso: string) => (iso ? frDayMonthTime(Date.parse(iso)) : '—');

const getRowId = (p: GetRowIdParams<StockRow>) => p.data.id;

const rowClassRules: RowClassRules<StockRow> = {
  'stock-row-region': (p) => p.data?.kind === 'region',
  'stock-row-dep': (p) => p.data?.kind === 'dep',
  'stock-row-pending': (p) => Boolean(p.data?.pending),
};

/** A span of `className` holding `text` (DOM built directly: the grid's cells are plain, no React). */
function span(className: string, text: string): HTMLSpanElement {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  return el;
}

/** The cover cell: glyph, days, the level in words for screen readers; its arithmetic as a tooltip. */
function coverCell(p: ICellRendererParams<StockRow, MoleculeCell | undefined>): HTMLElement {
  const t = p.value;
  if (!t) return span('muted', '—');
  const el = span(`stock-cover stock-cover-${t.level}`, '');
  el.dataset.level = t.level;
  el.title = t.dailyMg === null ? ui.stocks.level.unknown : ui.stocks.coverTip(fmtMg(t.onHandMg), fmtMg(t.dailyMg), t.noUse ? '∞' : fmt(t.days ?? 0));
  const glyph = span('stock-glyph', ui.stocks.glyph[t.level]);
  glyph.setAttribute('aria-hidden', 'true');
  el.append(glyph, ` ${ui.stocks.days(t.days, t.noUse)}`, span('sr-only', ` (${ui.stocks.level[t.level]})`));
  return el;
}

/** The label cell: a group's caret and count, an establishment's name, « en attente » while a report waits. */
function labelCell(p: ICellRendererParams<StockRow>): HTMLElement | string {
  const r = p.data;
  if (!r) return '';
  const caret = r.kind === 'establishment' ? '' : r.expanded ? '▾ ' : '▸ ';
  const el = span(`stock-label stock-label-${r.kind}`, `${caret}${r.kind === 'establishment' ? r.label : `${r.label} (${r.count})`}`);
  if (r.pending) el.append(span('stock-pending', ` · ${ui.stocks.pending}`));
  return el;
}

function moleculeColumns(m: Molecule): ColGroupDef<StockRow> {
  const get = (r: StockRow | undefined) => r?.molecules[m.code];
  return {
    headerName: m.label,
    groupId: m.code,
    children: [
      {
        colId: `${m.code}.onHand`,
        headerName: ui.stocks.col.onHand,
        width: 92,
        type: 'numericColumn',
        valueGetter: (p) => get(p.data)?.onHandUnits ?? null,
        valueFormatter: (p) => (p.value === null || p.value === undefined ? '—' : fmt(p.value as number)),
        tooltipValueGetter: (p) => {
          const t = get(p.data);
          return t ? ui.stocks.onHandTip(fmt(t.onHandUnits, 0), fmtMg(t.onHandMg)) : null;
        },
        enableCellChangeFlash: true,
      },
      {
        colId: `${m.code}.daily`,
        headerName: ui.stocks.col.daily,
        width: 84,
        type: 'numericColumn',
        valueGetter: (p) => get(p.data)?.dailyUnits ?? null,
        valueFormatter: (p) => (p.value === null || p.value === undefined ? ui.stocks.level.unknown : fmt(p.value as number)),
        tooltipValueGetter: (p) => {
          const t = get(p.data);
          return t && t.dailyUnits !== null && t.dailyMg !== null ? ui.stocks.dailyTip(fmt(t.dailyUnits), fmtMg(t.dailyMg)) : null;
        },
      },
      {
        colId: `${m.code}.cover`,
        headerName: ui.stocks.col.cover,
        width: 112,
        valueGetter: (p) => get(p.data),
        cellRenderer: coverCell,
        comparator: (a?: MoleculeCell, b?: MoleculeCell) => (a?.days ?? Number.MAX_VALUE) - (b?.days ?? Number.MAX_VALUE),
        cellClass: (p) => `stock-cover-cell stock-cover-cell-${(p.value as MoleculeCell | undefined)?.level ?? 'none'}`,
        equals: (a?: MoleculeCell, b?: MoleculeCell) => a?.days === b?.days && a?.level === b?.level && a?.noUse === b?.noUse,
        enableCellChangeFlash: true,
      },
      {
        colId: `${m.code}.stockOut`,
        headerName: ui.stocks.col.stockOut,
        width: 116,
        valueGetter: (p) => get(p.data)?.stockOut ?? null,
        valueFormatter: (p) => fmtDate(p.value as string | null),
      },
    ],
  };
}

/** Every molecule at a glance: the row's lowest cover (a région or département also counts its establishments in red). Plain text: no cell component to mount. */
const worstColumn: ColDef<StockRow> = {
  colId: 'worst',
  headerName: ui.stocks.col.worst,
  headerTooltip: ui.stocks.worstTip,
  width: 150,
  valueGetter: (p) => p.data?.level ?? null,
  valueFormatter: (p) => {
    const r = p.data;
    if (!r) return '';
    const text = `${ui.stocks.glyph[r.level]} ${ui.stocks.level[r.level]}`.trim();
    return r.kind !== 'establishment' && r.red > 0 ? `${text} · ${ui.stocks.worstRed(r.red)}` : text;
  },
  cellClass: (p) => `stock-cover-cell stock-cover-cell-${p.data?.level ?? 'none'}`,
  enableCellChangeFlash: true,
};

/**
 * The grid, AG Grid's own (vanilla) grid in a React-owned box: ag-grid-react renders every row
 * and cell through React, which was a third of the national grid's first paint
 * (docs/performance.md, stocks); here cells are plain DOM (value formatters, two small cell
 * functions). Rows and columns are handed to the grid when they change; with `getRowId` it
 * updates (and flashes) only the rows whose values changed.
 */
function StockGrid({ rows, molecules, canCorrect }: { rows: StockRow[]; molecules: Molecule[]; canCorrect: boolean }) {
  const toggle = useStocks((s) => s.toggle);
  const correct = useStocks((s) => s.correct);
  /** A group opens or closes; an establishment opens the national cell's correction form. */
  const activate = (r: StockRow) => {
    if (r.kind !== 'establishment') toggle(r.id);
    else if (canCorrect) correct(r.id.slice(2));
  };
  // The grid's listeners are set once: they call the latest `activate`.
  const activateRef = useRef(activate);
  activateRef.current = activate;
  const columnDefs = useMemo<Array<ColDef<StockRow> | ColGroupDef<StockRow>>>(
    () => [
      { colId: 'label', headerName: ui.stocks.col.establishment, pinned: 'left', width: 260, valueGetter: (p) => p.data?.label, cellRenderer: labelCell },
      worstColumn,
      ...molecules.map(moleculeColumns),
      { colId: 'counted', headerName: ui.stocks.col.counted, width: 120, valueGetter: (p) => p.data?.latestAt ?? '', valueFormatter: (p) => fmtWhen(p.value as string) },
    ],
    [molecules],
  );
  const box = useRef<HTMLDivElement>(null);
  const api = useRef<GridApi<StockRow> | null>(null);
  /** What the grid was last given (the effects below skip what it already has). */
  const given = useRef<{ rows: StockRow[]; columnDefs: typeof columnDefs } | null>(null);
  // Created before the browser paints (layout effect): the first frame shows rows.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const options: GridOptions<StockRow> = {
      theme: bedGridTheme,
      rowData: rows,
      columnDefs,
      defaultColDef: { resizable: true, sortable: false, suppressHeaderMenuButton: true },
      getRowId,
      rowClassRules,
      onRowClicked: (e: RowClickedEvent<StockRow>) => {
        if (e.data) activateRef.current(e.data);
      },
      onCellKeyDown: (e: CellKeyDownEvent<StockRow>) => {
        const ev = e.event;
        if (ev instanceof KeyboardEvent && (ev.key === 'Enter' || ev.key === ' ') && e.data) {
          ev.preventDefault();
          activateRef.current(e.data);
        }
      },
      tooltipShowDelay: 300,
      animateRows: false,
      enableCellTextSelection: true,
    };
    api.current = createGrid(el, options);
    given.current = { rows, columnDefs };
    return () => {
      api.current?.destroy();
      api.current = null;
      given.current = null;
    };
    // Created once per mount; later rows and columns go through the effect below.
  }, []);
  useEffect(() => {
    const g = api.current;
    const had = given.current;
    if (!g || !had) return;
    if (had.columnDefs !== columnDefs) g.setGridOption('columnDefs', columnDefs);
    if (had.rows !== rows) g.setGridOption('rowData', rows);
    given.current = { rows, columnDefs };
  }, [rows, columnDefs]);
  return <div className="stock-grid" role="region" aria-label={ui.stocks.tabs.grid} data-testid="stocks-grid" ref={box} />;
}

/** The grid's molecule: a select, and the keys 1–5 (one molecule) and 0 (all) outside text fields. */
function MoleculePicker({ molecules, value }: { molecules: Molecule[]; value: GridMolecule }) {
  const setMolecule = useStocks((s) => s.setMolecule);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      const t = e.target;
      if (t instanceof HTMLElement && (t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || t instanceof HTMLInputElement)) return;
      if (!/^[0-9]$/.test(e.key)) return;
      const n = Number(e.key);
      const next: GridMolecule | undefined = n === 0 ? 'all' : molecules[n - 1]?.code;
      if (next) {
        e.preventDefault();
        setMolecule(next);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [molecules, setMolecule]);
  return (
    <label className="stock-molecule small" title={ui.stocks.moleculeKeys}>
      {ui.stocks.moleculePick}{' '}
      <select value={value} onChange={(e) => setMolecule(e.target.value as GridMolecule)} data-testid="stocks-molecule" aria-keyshortcuts="1 2 3 4 5 0">
        {molecules.map((m, i) => (
          <option key={m.code} value={m.code}>
            {i + 1} · {m.label}
          </option>
        ))}
        <option value="all">0 · {ui.stocks.moleculeAll}</option>
      </select>
    </label>
  );
}

function Pivot() {
  const board = useStocks((s) => s.board);
  const regions = useMemo(() => (board ? pivotByRegion(board.rows, board.thresholds) : []), [board]);
  if (!board) return null;
  return (
    <div className="stock-pivot" data-testid="stocks-pivot">
      <table>
        <caption className="muted small">{ui.stocks.pivotCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{ui.stocks.col.region}</th>
            {board.molecules.map((m) => (
              <th key={m.code} scope="col">
                {m.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {regions.map((r) => (
            <tr key={r.region}>
              <th scope="row">{r.regionName}</th>
              {board.molecules.map((m) => {
                const c = r.cells[m.code as MoleculeCode];
                const level: CoverLevel = c?.level ?? 'unknown';
                return (
                  <td key={m.code} className={c ? `stock-cover-cell stock-cover-cell-${level}` : undefined}>
                    {c ? (
                      <>
                        <span className={`stock-cover stock-cover-${level}`}>
                          <span aria-hidden="true">{ui.stocks.glyph[level]}</span> {ui.stocks.days(c.days, c.noUse)}
                        </span>
                        <div className="small muted">
                          {fmtMg(c.onHandMg)}
                          {c.red > 0 ? ` · ${ui.stocks.pivotRedCount(c.red)}` : ''}
                        </div>
                      </>
                    ) : (
                      ui.stocks.pivotNone
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Thresholds() {
  const board = useStocks((s) => s.board);
  const setThresholds = useStocks((s) => s.setThresholds);
  const [red, setRed] = useState('');
  const [orange, setOrange] = useState('');
  const [error, setError] = useState<string | null>(null);
  const shownRed = board?.thresholds.red;
  const shownOrange = board?.thresholds.orange;
  // A threshold the administrator policy locks is shown, disabled, at the policy's value.
  const redLocked = useLocked('stocks', 'red');
  const orangeLocked = useLocked('stocks', 'orange');
  useEffect(() => {
    if (shownRed !== undefined) setRed(String(shownRed).replace('.', ','));
    if (shownOrange !== undefined) setOrange(String(shownOrange).replace('.', ','));
  }, [shownRed, shownOrange]);
  return (
    <form
      className="stock-thresholds"
      onSubmit={(e) => {
        e.preventDefault();
        const r = Number(red.replace(',', '.'));
        const o = Number(orange.replace(',', '.'));
        void setThresholds({ red: r, orange: o }).then(setError);
      }}
    >
      <span className="muted small">{ui.stocks.settings}</span>
      <label>
        {ui.stocks.settingsRed} <input type="text" inputMode="decimal" size={3} value={red} onChange={(e) => setRed(e.target.value)} data-testid="stocks-threshold-red" disabled={redLocked} />
      </label>
      <LockedNote section="stocks" field="red" />
      <label>
        {ui.stocks.settingsOrange} <input type="text" inputMode="decimal" size={3} value={orange} onChange={(e) => setOrange(e.target.value)} data-testid="stocks-threshold-orange" disabled={orangeLocked} />
      </label>
      <LockedNote section="stocks" field="orange" />
      <button type="submit" className="btn btn-small">
        {ui.stocks.settingsSave}
      </button>
      {error && (
        <span className="form-error small" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

export function StocksBoard() {
  const board = useStocks((s) => s.board);
  const loaded = useStocks((s) => s.loaded);
  const error = useStocks((s) => s.error);
  const storedTab = useStocks((s) => s.tab);
  const setTab = useStocks((s) => s.setTab);
  const collapsed = useStocks((s) => s.collapsed);
  const text = useStocks((s) => s.text);
  const setText = useStocks((s) => s.setText);
  const ensureLoaded = useStocks((s) => s.ensureLoaded);
  const correcting = useStocks((s) => s.correcting);
  const storedMolecule = useStocks((s) => s.molecule);

  // The board view loads once signed in (`firstLoad`) and follows every pushed change of its
  // rows: opening the tab reads it only when it is missing or failed (a first load still on its
  // way is awaited), so the grid paints from what is there instead of waiting for, then
  // re-applying, a second copy of 700 rows.
  useEffect(() => {
    void ensureLoaded();
  }, [ensureLoaded]);

  const rows = useMemo(() => (board ? buildStockRows(board.rows, board.thresholds, collapsed, text) : []), [board, collapsed, text]);
  // One molecule's columns by default: five molecules' 20 columns made the national grid's
  // first paint mostly layout (docs/performance.md, stocks).
  const molecule: GridMolecule = storedMolecule === 'all' || board?.molecules.some((m) => m.code === storedMolecule) ? (storedMolecule ?? 'all') : (board?.molecules[0]?.code ?? 'all');
  const gridMolecules = useMemo(() => (board ? (molecule === 'all' ? board.molecules : board.molecules.filter((m) => m.code === molecule)) : []), [board, molecule]);
  const regional = useRedeploy((s) => s.mine?.scope === 'region');
  const tabs: StocksTab[] = board?.reportsFor
    ? ['form', 'grid', 'chart', 'import', 'dotations']
    : board?.national
      ? ['grid', 'pivot', 'chart', 'import', 'allocations', ...(correcting ? (['form'] as const) : []), 'redeploy']
      : regional
        ? ['grid', 'chart', 'redeploy', 'dotations']
        : ['grid', 'chart', 'dotations'];
  const formFor = board?.reportsFor ?? (board?.national ? correcting : null);
  const tab: StocksTab = storedTab && tabs.includes(storedTab) ? storedTab : tabs[0];
  const red = board?.rows.filter((r) => r.level === 'red').length ?? 0;
  const orange = board?.rows.filter((r) => r.level === 'orange').length ?? 0;

  return (
    <section className="stocks-board" aria-label={ui.boards.stocks} data-testid="stocks-board">
      <header className="stocks-head">
        <div className="stocks-title">
          <h1>{ui.stocks.title}</h1>
          {board && (
            <span className="stocks-summary" data-testid="stocks-summary">
              {ui.stocks.summary(board.rows.length, red, orange)}
            </span>
          )}
        </div>
        <div className="stocks-tabs" role="tablist" aria-label={ui.stocks.tabsLabel}>
          {tabs.map((t) => (
            <button key={t} type="button" role="tab" aria-selected={t === tab} className={t === tab ? 'btn btn-small btn-primary' : 'btn btn-small'} onClick={() => setTab(t)} data-testid={`stocks-tab-${t}`}>
              {t === 'redeploy'
                ? ui.redeploy.tab
                : t === 'form' && !board?.reportsFor
                  ? ui.stocks.tabs.correction
                  : t === 'import' || t === 'chart'
                    ? ui.stocksIo.tabs[t]
                    : t === 'allocations'
                      ? ui.allocations.tab
                      : t === 'dotations'
                        ? ui.allocations.dotationsTab
                        : ui.stocks.tabs[t]}
            </button>
          ))}
        </div>
        {(tab === 'grid' || tab === 'pivot') && (
          <input type="search" className="search" value={text} placeholder={ui.stocks.col.establishment} aria-label={ui.stocks.col.establishment} onChange={(e) => setText(e.target.value)} data-testid="stocks-filter" />
        )}
        {board && tab === 'grid' && board.molecules.length > 1 && <MoleculePicker molecules={board.molecules} value={molecule} />}
        <Thresholds />
      </header>
      <RedeployMoves />
      {board && <p className="stocks-rule muted small">{ui.stocks.rule(board.thresholds.red, board.thresholds.orange)}</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {!loaded && <p className="muted">{ui.stocks.loading}</p>}
      {loaded && board && tab === 'grid' && (board.rows.length === 0 ? <p className="muted">{ui.stocks.empty}</p> : <StockGrid rows={rows} molecules={gridMolecules} canCorrect={board.national} />)}
      {loaded && board && tab === 'pivot' && <Pivot />}
      {loaded && board && (tab === 'grid' || tab === 'pivot') && board.rows.length > 0 && <StockExports pivot={board.national} />}
      {loaded && board && tab === 'import' && <ImportPanel national={board.national} />}
      {loaded && board && tab === 'chart' && <ChartPanel />}
      {loaded && formFor && tab === 'form' && <QuickForm finess={formFor} correction={!board?.reportsFor} />}
      {loaded && tab === 'redeploy' && <Redeploy />}
      {loaded && board && (tab === 'allocations' ? <Allocations /> : tab === 'dotations' ? <Dotations /> : null)}
    </section>
  );
}
