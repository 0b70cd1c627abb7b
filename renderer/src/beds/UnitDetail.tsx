import { useMemo } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { formatFullTime, roleLabel } from '../eventlog/format';
import { HISTORY_DAYS, useBeds } from './store';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { useTransfers } from '../transfers/store';
import { Age } from './Freshness';
import { historyChart } from './history';
import { isStale } from '../../../common/domain/beds/totals';
import { unitLabel, unitType } from '../../../common/domain/beds/unitTypes';
import type { RorDetail } from '../../../common/domain/beds/model';

const BOX = { width: 420, height: 190, left: 34, right: 10, top: 10, bottom: 24 };
const pad = (n: number) => String(n).padStart(2, '0');

function HistoryChartView() {
  const history = useBeds((s) => s.history);
  const error = useBeds((s) => s.historyError);
  const now = useBeds((s) => s.now);
  const chart = useMemo(() => {
    if (!history || history.reports.length === 0) return null;
    const oldest = Math.min(...history.reports.map((r) => Date.parse(r.at)));
    const earliest = now - HISTORY_DAYS * 86_400_000;
    const from = Math.max(earliest, Math.min(oldest - 3_600_000, now - 6 * 3_600_000));
    return historyChart(history.reports, from, now, BOX);
  }, [history, now]);

  if (error) return <p className="form-error">{error}</p>;
  if (!history) return <p className="muted">{ui.beds.history.loading}</p>;
  return (
    <div className="history" data-testid="unit-history">
      <div className="history-head">
        <h4>{ui.beds.history.title}</h4>
        <span className="muted small">{ui.beds.history.reports(history.reports.length)}</span>
        {!history.complete && (
          <span className="badge badge-pending" data-testid="history-partial">
            {ui.beds.history.partial}
          </span>
        )}
      </div>
      {!chart && <p className="muted">{ui.beds.history.empty}</p>}
      {chart && (
        <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} className="history-svg" role="img" aria-label={ui.beds.history.label}>
          {chart.yTicks.map((t) => (
            <g key={t.value}>
              <line x1={BOX.left} x2={BOX.width - BOX.right} y1={t.y} y2={t.y} className="chart-grid" />
              <text x={BOX.left - 6} y={t.y + 4} textAnchor="end" className="chart-tick">
                {t.value}
              </text>
            </g>
          ))}
          {chart.xTicks.map((t) => {
            const d = new Date(t.at);
            return (
              <text key={t.at} x={t.x} y={BOX.height - 6} textAnchor="middle" className="chart-tick">
                {`${pad(d.getDate())}/${pad(d.getMonth() + 1)}`}
              </text>
            );
          })}
          <path d={chart.lines.installed} className="chart-line line-installed" />
          <path d={chart.lines.staffed} className="chart-line line-staffed" />
          <path d={chart.lines.available} className="chart-line line-available" />
          {chart.points.map((p) => (
            <circle key={p.report.id} cx={p.x} cy={p.yAvailable} r={2.5} className="chart-point">
              <title>{`${formatFullTime(p.report.at)} — ${p.report.available} / ${p.report.staffed} / ${p.report.installed}`}</title>
            </circle>
          ))}
        </svg>
      )}
      <div className="chart-legend">
        <span className="leg leg-available">{ui.beds.col.available}</span>
        <span className="leg leg-staffed">{ui.beds.col.staffed}</span>
        <span className="leg leg-installed">{ui.beds.col.installed}</span>
      </div>
    </div>
  );
}

/** The rest of the register's capacity picture, as it sent it. */
function RorLines({ ror }: { ror: RorDetail }) {
  const t = ui.beds.detail.ror;
  const lines: string[] = [];
  if (ror.reserved !== undefined) lines.push(t.reserved(ror.reserved));
  if (ror.occupied !== undefined) lines.push(t.occupied(ror.occupied));
  if (ror.closed !== undefined) lines.push(t.closed(ror.closed, ror.closedReactivable));
  const plan = ror.crisisType ? ` (${t.crisisType[ror.crisisType]})` : '';
  if (ror.surgeStaffable !== undefined) lines.push(t.surgeStaffable(ror.surgeStaffable) + plan);
  if (ror.surgeUnstaffed !== undefined) lines.push(t.surgeUnstaffed(ror.surgeUnstaffed) + plan);
  const forecast = Object.entries(ror.forecast ?? {}).map(([h, v]) => `${t.horizon[h] ?? h} ${v}`);
  if (forecast.length) lines.push(t.forecast(forecast.join(' · ')));
  if (ror.sourceType) lines.push(t.source(t.sourceType[ror.sourceType] ?? ror.sourceType));
  if (!lines.length) return null;
  return (
    <div className="unit-ror muted" data-testid="unit-ror">
      <div className="unit-ror-title">{t.title}</div>
      {lines.map((l) => (
        <div key={l}>{l}</div>
      ))}
    </div>
  );
}

/** The selected unit: its current figures, who reported them and when, and its history. */
export function UnitDetail() {
  const selected = useBeds((s) => s.selected);
  const units = useBeds((s) => s.units);
  const now = useBeds((s) => s.now);
  const settings = useBeds((s) => s.settings);
  const select = useBeds((s) => s.select);
  const referential = useSession((s) => s.referential);
  // A SAMU regulator sends a patient toward a unit it sees free.
  const canStartTransfer = useSession((s) => s.session?.user.role.startsWith('samu:') ?? false);
  const unit = selected ? units.find((u) => u.finess === selected.finess && u.unitId === selected.unitId) : undefined;
  if (!selected) return <aside className="unit-detail empty muted">{ui.beds.detail.select}</aside>;
  const n = (v: number | null) => (v === null ? ui.beds.detail.none : String(v));
  return (
    <aside className="unit-detail" data-testid="unit-detail">
      <div className="unit-detail-head">
        <div>
          <h3>{unit ? unitLabel(unit) : (unitType(selected.unitType)?.label ?? selected.unitType)}</h3>
          {unit && (
            <div className="muted" title={unit.establishmentName}>
              {unit.establishmentShortName} — {unit.city} ({unit.dep})
            </div>
          )}
        </div>
        {unit && canStartTransfer && unit.available > 0 && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="unit-start-transfer"
            onClick={() => {
              useTransfers.getState().startFrom({ dest: { finess: unit.finess, unitId: unit.unitId, label: `${unit.establishmentShortName} — ${unitLabel(unit)}` } });
              useUi.getState().setBoard('transfers');
            }}
          >
            {ui.transfers.fromUnit}
          </button>
        )}
        <button type="button" className="btn btn-small btn-ghost" onClick={() => select(null)}>
          {ui.beds.detail.close}
        </button>
      </div>
      {unit && (
        <>
          <div className="unit-figures">
            <div className="fig">
              <span className="fig-value fig-available">{unit.available}</span>
              <span className="fig-label">{ui.beds.col.available}</span>
            </div>
            <div className="fig">
              <span className="fig-value">{unit.staffed}</span>
              <span className="fig-label">{ui.beds.col.staffed}</span>
            </div>
            <div className="fig">
              <span className="fig-value">{unit.installed}</span>
              <span className="fig-label">{ui.beds.col.installed}</span>
            </div>
          </div>
          <div className="unit-meta">
            <div>
              {unit.atKnown ? ui.beds.detail.at : ui.beds.detail.receivedAt} {formatFullTime(unit.at)} · <Age at={unit.at} stale={isStale(unit.at, now, settings.staleAfterHours)} />
            </div>
            {!unit.atKnown && (
              <div className="muted" data-testid="unit-at-unknown">
                {ui.beds.detail.atUnknown}
              </div>
            )}
            <div className="muted">
              {ui.beds.detail.reportedBy(unit.reportedBy, roleLabel(unit.reportedRole, referential))} · {ui.beds.detail.source[unit.source] ?? unit.source}
            </div>
            {(unit.assignment || unit.temporary) && (
              <div data-testid="unit-marks">
                {[unit.assignment && ui.beds.detail.marks[unit.assignment], unit.temporary && ui.beds.detail.marks.temporary].filter(Boolean).join(' · ')}
              </div>
            )}
            {unit.surge ? <div data-testid="unit-surge">{ui.beds.detail.surge(unit.surge)}</div> : null}
            <div className="muted">{ui.beds.detail.covid(n(unit.covidPos), n(unit.covidNeg))}</div>
            <div className="muted">{ui.beds.detail.extra(n(unit.extra24h), n(unit.extra72h))}</div>
            {unit.ror && <RorLines ror={unit.ror} />}
            {unit.comment && (
              <div>
                {ui.beds.detail.comment} : {unit.comment}
              </div>
            )}
          </div>
        </>
      )}
      <HistoryChartView />
    </aside>
  );
}
