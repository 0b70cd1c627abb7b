import { memo, useDeferredValue, useMemo } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { useBeds } from './store';
import { useSession } from '../stores/session';
import { ageText, dashboardMatrix, percent, tensionOrNone, totalFreshness, type DashboardRow } from './aggregate';
import { MapLegend } from './BedMap';
import { depName, depShortName, regionName } from './scope';
import type { BedTotal, FreshnessSettings } from '../../../common/domain/beds/totals';
import { unitType, type UnitGroup } from '../../../common/domain/beds/unitTypes';
import type { UnitView } from '../../../common/domain/beds/views';

interface CellProps {
  total: BedTotal | null;
  settings: FreshnessSettings;
  now: number;
  testId: string;
  /** Totals show their freshness line under the figure. */
  showFreshness: boolean;
  /** Opens the département on the map (click or Entrée). */
  onOpen?: () => void;
}

const sameTotal = (a: BedTotal | null, b: BedTotal | null) =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.available === b.available &&
    a.staffed === b.staffed &&
    a.installed === b.installed &&
    a.surge === b.surge &&
    a.units === b.units &&
    a.staleUnits === b.staleUnits &&
    a.oldestAt === b.oldestAt);

/**
 * A cell re-renders only when what it shows changed: a live report moves one or two of the
 * 300 cells of a national dashboard, not all of them. (`onOpen` is rebuilt on every render
 * but acts on the cell's own row and column, which its test id names.)
 */
// Ages read in minutes at most: a clock that moved within the same minute changes nothing shown.
const sameMinute = (a: number, b: number) => Math.floor(a / 60_000) === Math.floor(b / 60_000);
const Cell = memo(CellView, (a, b) => a.testId === b.testId && sameMinute(a.now, b.now) && a.settings === b.settings && a.showFreshness === b.showFreshness && sameTotal(a.total, b.total));

function CellView({ total, settings, now, testId, showFreshness, onOpen }: CellProps) {
  const tension = tensionOrNone(total, settings);
  if (!total) {
    return (
      <td className="dash-cell tension-none no-unit" data-testid={testId} data-tension="none" data-stale-units={0} title={ui.beds.dashboard.noCellTitle}>
        {ui.beds.dashboard.noCell}
      </td>
    );
  }
  const freshness = totalFreshness(total, now);
  return (
    <td
      className={`dash-cell tension-${tension}${total.staleUnits ? ' has-stale' : ''}`}
      data-testid={testId}
      data-tension={tension}
      data-stale-units={total.staleUnits}
      data-units={total.units}
      title={ui.beds.dashboard.cellTitle(total.available, total.staffed, total.installed, total.surge, ui.beds.tension[tension], freshness)}
      tabIndex={onOpen ? 0 : undefined}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (onOpen && e.key === 'Enter') onOpen();
      }}
    >
      {ui.beds.tension.glyph[tension] && (
        <span className="dash-glyph" aria-hidden="true">
          {ui.beds.tension.glyph[tension]}
        </span>
      )}
      <span className="dash-value">{total.available}</span>
      <span className="dash-sub">/ {total.staffed}</span>
      {total.surge > 0 && (
        <span className="dash-surge" title={ui.beds.surgeTitle(total.surge)}>
          {ui.beds.surgeShort(total.surge)}
        </span>
      )}
      {total.staleUnits > 0 && (
        <span className="dash-stale" aria-label={ui.beds.staleUnits(total.staleUnits)}>
          ⚠{total.staleUnits}
        </span>
      )}
      {showFreshness ? (
        <span className={`dash-fresh${total.staleUnits ? ' has-stale' : ''}`}>{freshness}</span>
      ) : (
        // Every figure shows its age: the oldest update inside the cell.
        <span className={`dash-age${total.staleUnits ? ' has-stale' : ''}`}>{ageText(total.oldestAt, now)}</span>
      )}
    </td>
  );
}


/**
 * The tension dashboard: unit types × départements, available beds in cells (with the
 * staffed beds after the slash), coloured by occupancy, totals per row and column, each
 * with its stale units and its oldest update.
 */
export function Dashboard({
  deps,
  territoryLabel,
  compact = false,
  byRegion = false,
}: {
  deps: string[];
  territoryLabel: string;
  compact?: boolean;
  /** Columns are regions (a national bulletin) instead of départements. */
  byRegion?: boolean;
}) {
  const liveUnits = useBeds((s) => s.units);
  const liveNow = useBeds((s) => s.now);
  const live = useMemo(() => ({ units: liveUnits, now: liveNow }), [liveUnits, liveNow]);
  // Folded and drawn in a background render (a deferred value: React yields to input while
  // it works, and drops that work when another tab is chosen meanwhile): opening « Lits » on
  // the national dashboard folded 18,000 units and drew ~250 cells in one task before a click
  // on « Grille » could be handled. The table now follows the board by a frame. The units and
  // the clock they are measured against are deferred together: a live change (which moves
  // both) is folded once, in the background render, not again in the urgent one.
  const shown = useDeferredValue<{ units: UnitView[]; now: number } | null>(live, null);
  const now = shown?.now ?? liveNow;
  const settings = useBeds((s) => s.settings);
  const referential = useSession((s) => s.referential);
  const matrix = useMemo(
    () => (shown ? dashboardMatrix(shown.units, deps, shown.now, settings, byRegion ? (u) => u.region : undefined) : null),
    [shown, deps, settings, byRegion],
  );
  const columnName = (c: string) => (byRegion ? regionName(referential, c) : depShortName(referential, c));

  const openOnMap = (r: DashboardRow, dep: string) => {
    const s = useBeds.getState();
    const group = r.kind === 'type' ? unitType(r.key)?.group : (r.key.slice('group:'.length) as UnitGroup);
    if (group) s.setMapGroup(group);
    s.setMapDep(dep);
    s.setTab('map');
  };
  const rowTestKey = (r: DashboardRow) => (r.kind === 'type' ? r.key : r.key.replace(':', '-'));
  if (!matrix) return <p className="muted">{ui.beds.loading}</p>;

  return (
    <div className={`dashboard${compact ? ' compact' : ''}`}>
      <table className="dash-table" data-testid="dashboard-table">
        <caption>{ui.beds.dashboard.caption(territoryLabel, byRegion)}</caption>
        <thead>
          <tr>
            <th scope="col" className="dash-type-head">
              {ui.beds.dashboard.unitType}
            </th>
            {matrix.deps.map((d) => (
              <th key={d} scope="col" className="dash-dep-head" title={byRegion ? regionName(referential, d) : depName(referential, d)}>
                {!byRegion && <span className="dep-code">{d}</span>}
                <span className="dep-name">{columnName(d)}</span>
              </th>
            ))}
            <th scope="col" className="dash-total-head">
              {ui.beds.dashboard.total}
            </th>
          </tr>
        </thead>
        <tbody>
          {matrix.rows.map((r) => (
            <tr key={r.key} className={`dash-row dash-row-${r.kind}`}>
              <th scope="row" className="dash-type">
                {r.label}
              </th>
              {matrix.deps.map((d) => (
                <Cell
                  key={d}
                  total={r.cells.get(d) ?? null}
                  settings={settings}
                  now={now}
                  testId={`dashboard-cell-${rowTestKey(r)}-${d}`}
                  showFreshness={r.kind === 'group'}
                  onOpen={compact ? undefined : byRegion ? () => useBeds.getState().setDashboardRegion(d) : () => openOnMap(r, d)}
                />
              ))}
              <Cell
                total={r.total}
                settings={settings}
                now={now}
                testId={`dashboard-rowtotal-${rowTestKey(r)}`}
                showFreshness={r.kind !== 'type'}
              />
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dash-foot">
        <MapLegend settings={settings} />
        <span className="muted small">{ui.beds.dashboard.howToRead}</span>
      </div>
    </div>
  );
}
