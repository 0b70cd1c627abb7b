import { useEffect, useMemo, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { call } from '../app/call';
import { BEDS_SEARCH_INPUT_ID } from '../app/useGlobalShortcuts';
import { useBeds, type BedsTab } from './store';
import { useSession } from '../stores/session';
import { totalOf } from './aggregate';
import { BedGrid } from './BedGrid';
import { BedMap } from './BedMap';
import { Bulletin } from './Bulletin';
import { Dashboard } from './Dashboard';
import { download } from '../app/download';
import { ImportDialog, SettingsDialog } from './Dialogs';
import { UnitDetail } from './UnitDetail';
import { UnitForm } from './UnitForm';
import { Around } from './Around';
import { canImport, dashboardDeps, defaultRegion, isEstablishment, regionName, roleOf } from './scope';
// The board's stylesheets, in cascade order.
import './beds.css';
import './grid.css';
import './dashboard.css';
import './map.css';
import './detail.css';
import './form.css';
import './bulletin.css';
import './around.css';
import { UNIT_GROUPS, type UnitGroup } from '../../../common/domain/beds/unitTypes';

/** Staleness is re-evaluated every minute against the workstation's clock. */
const TICK_MS = 60_000;

function FilterBar() {
  const filter = useBeds((s) => s.filter);
  const setFilter = useBeds((s) => s.setFilter);
  return (
    <div className="beds-filters" role="search">
      <input
        id={BEDS_SEARCH_INPUT_ID}
        className="search"
        type="search"
        value={filter.text}
        placeholder={ui.beds.filter.placeholder}
        aria-label={ui.beds.filter.text}
        data-testid="beds-filter-text"
        onChange={(e) => setFilter({ text: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && filter.text) {
            e.stopPropagation();
            setFilter({ text: '' });
          }
        }}
      />
      <select
        value={filter.group}
        aria-label={ui.beds.filter.group}
        data-testid="beds-filter-group"
        onChange={(e) => setFilter({ group: e.target.value as UnitGroup })}
      >
        {UNIT_GROUPS.map((g) => (
          <option key={g.code} value={g.code}>
            {g.label}
          </option>
        ))}
      </select>
      <label className="check">
        <input type="checkbox" checked={filter.staleOnly} onChange={(e) => setFilter({ staleOnly: e.target.checked })} data-testid="beds-filter-stale" />{' '}
        {ui.beds.filter.staleOnly}
      </label>
    </div>
  );
}

/** "2020-03-24T14:00" (a datetime-local value, the workstation's wall clock) from an ISO instant. */
function localInputValue(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "Situation au …": shows the picture at a past instant, or goes back to live. */
function AsOfControl() {
  const asOf = useBeds((s) => s.asOf);
  const setAsOf = useBeds((s) => s.setAsOf);
  const [value, setValue] = useState(asOf ? localInputValue(asOf.at) : '');
  const [error, setError] = useState<string | null>(null);
  const show = async () => {
    const ms = Date.parse(value);
    if (!value || Number.isNaN(ms)) {
      setError(ui.beds.asOf.invalid);
      return;
    }
    setError(await setAsOf(new Date(ms).toISOString()));
  };
  return (
    <form
      className="asof-control"
      onSubmit={(e) => {
        e.preventDefault();
        void show();
      }}
    >
      <label>
        {ui.beds.asOf.label}{' '}
        <input type="datetime-local" value={value} onChange={(e) => setValue(e.target.value)} data-testid="beds-asof-input" max={localInputValue(new Date().toISOString())} />
      </label>
      <button type="submit" className="btn btn-small" data-testid="beds-asof-show">
        {ui.beds.asOf.show}
      </button>
      {asOf && (
        <button
          type="button"
          className="btn btn-small btn-primary"
          data-testid="beds-asof-back"
          onClick={() => {
            setValue('');
            setError(null);
            void setAsOf(null);
          }}
        >
          {ui.beds.asOf.back}
        </button>
      )}
      {error && (
        <span className="form-error small" role="alert" data-testid="beds-asof-error">
          {error}
        </span>
      )}
    </form>
  );
}

/** The "Lits" board: the grid, the tension dashboard, the map, the quick form, the bulletin. */
export function BedsBoard() {
  const session = useSession((s) => s.session);
  const referential = useSession((s) => s.referential);
  const units = useBeds((s) => s.units);
  const loaded = useBeds((s) => s.loaded);
  const error = useBeds((s) => s.error);
  const now = useBeds((s) => s.now);
  const settings = useBeds((s) => s.settings);
  const storedTab = useBeds((s) => s.tab);
  const setTab = useBeds((s) => s.setTab);
  const chosenRegion = useBeds((s) => s.dashboardRegion);
  const setRegion = useBeds((s) => s.setDashboardRegion);
  const mapDep = useBeds((s) => s.mapDep);
  const asOf = useBeds((s) => s.asOf);
  const [dialog, setDialog] = useState<'import' | 'settings' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const roleText = session?.user.role;
  const role = useMemo(() => roleOf(roleText), [roleText]);
  const establishment = isEstablishment(role) ? role.finess : null;
  const samuDep = role?.kind === 'samu' ? role.dep : null;
  // Each role opens on what it works with: its form, the beds around it, the tensions.
  const tab: BedsTab = storedTab ?? (establishment ? 'form' : samuDep ? 'around' : 'dashboard');

  useEffect(() => {
    const s = useBeds.getState();
    void s.load();
    void s.loadSettings();
    const timer = setInterval(() => useBeds.getState().tick(), TICK_MS);
    return () => clearInterval(timer);
  }, []);

  // A national user sees France by region unless a region is picked; other roles their own.
  const national = role?.kind === 'national';
  const region = national ? chosenRegion || null : defaultRegion(role, referential, units);
  const bulletinRegion = region;
  const regionCodes = useMemo(() => (referential?.regions ?? []).map((r) => r.key.slice(2)), [referential]);
  // France: the dashboard's columns are the régions (one cell opens its région).
  const deps = useMemo(() => (national && !region ? regionCodes : dashboardDeps(role, referential, units, region)), [national, region, regionCodes, role, referential, units]);
  const total = useMemo(() => totalOf(units, now, settings), [units, now, settings]);
  const regions = useMemo(() => referential?.regions ?? [], [referential]);

  const tabs: Array<{ id: BedsTab; label: string }> = [
    ...(establishment ? [{ id: 'form' as const, label: ui.beds.tabs.form }] : []),
    ...(samuDep ? [{ id: 'around' as const, label: ui.beds.tabs.around }] : []),
    { id: 'dashboard', label: ui.beds.tabs.dashboard },
    { id: 'grid', label: ui.beds.tabs.grid },
    { id: 'map', label: ui.beds.tabs.map },
    ...(establishment ? [] : [{ id: 'bulletin' as const, label: ui.beds.tabs.bulletin }]),
  ];

  async function exportAs(format: 'csv' | 'edxl-have') {
    const reply = await call('beds.export', { format });
    if (!reply.ok) {
      setNotice(reply.error.message);
      return;
    }
    download(reply.data.fileName, reply.data.mimeType, reply.data.content);
    setNotice(ui.beds.toolbar.exported(reply.data.fileName));
  }

  const territoryLabel = national ? (region ? regionName(referential, region) : ui.beds.bulletin.france) : (session?.user.territoryLabel ?? '');
  const showDetail = tab === 'grid' || tab === 'around' || (tab === 'map' && mapDep !== null);

  return (
    <div className="beds-board" data-testid="beds-board">
      <div className="beds-head no-print">
        <div className="beds-title">
          <h1>{ui.beds.title}</h1>
          <span className="beds-summary" data-testid="beds-summary">
            {ui.beds.summary(total.units, total.staleUnits)}
          </span>
          <span className="beds-rule muted">{ui.beds.freshnessRule(settings.staleAfterHours)}</span>
        </div>
        <nav className="beds-tabs" role="tablist" aria-label={ui.beds.tabs.label}>
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              className={`beds-tab${tab === t.id ? ' active' : ''}`}
              data-testid={`beds-tab-${t.id}`}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <div className="beds-actions">
          {!establishment && tab !== 'around' && <AsOfControl />}
          {national && (tab === 'dashboard' || tab === 'bulletin') && (
            <select value={region ?? ''} onChange={(e) => setRegion(e.target.value)} aria-label={ui.beds.dashboard.region} data-testid="beds-region">
              <option value="">{ui.beds.bulletin.france}</option>
              {regions.map((r) => (
                <option key={r.key} value={r.key.slice(2)}>
                  {regionName(referential, r.key.slice(2))}
                </option>
              ))}
            </select>
          )}
          {canImport(role) && (
            <button type="button" className="btn btn-small" onClick={() => setDialog('import')} data-testid="beds-import">
              {ui.beds.toolbar.import}
            </button>
          )}
          <button type="button" className="btn btn-small" onClick={() => void exportAs('csv')} title={ui.beds.toolbar.exportTitle} data-testid="beds-export-csv">
            {ui.beds.toolbar.exportCsv}
          </button>
          <button type="button" className="btn btn-small" onClick={() => void exportAs('edxl-have')} title={ui.beds.toolbar.exportTitle} data-testid="beds-export-have">
            {ui.beds.toolbar.exportHave}
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setDialog('settings')} data-testid="beds-settings-open">
            {ui.beds.toolbar.settings}
          </button>
        </div>
      </div>
      {(error || notice) && (
        <p className={`beds-notice no-print${error ? ' form-error' : ''}`} role={error ? 'alert' : 'status'}>
          {error ?? notice}
        </p>
      )}
      {asOf && (
        <p className={`beds-asof-banner${asOf.complete ? '' : ' partial'}`} role="status" data-testid="beds-asof-banner">
          {ui.beds.asOf.banner(new Date(asOf.at).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' }))}
          {!asOf.complete && <> {ui.beds.asOf.partial}</>}
        </p>
      )}
      {!establishment && tab !== 'bulletin' && !asOf && <p className="beds-readonly no-print muted">{ui.beds.readOnly}</p>}
      {tab === 'grid' && (
        <div className="no-print">
          <FilterBar />
        </div>
      )}
      <div className={`beds-body${showDetail ? ' with-detail' : ''}`}>
        <div className="beds-main">
          {!loaded && <p className="muted">{ui.beds.loading}</p>}
          {loaded && tab === 'form' && establishment && <UnitForm finess={establishment} />}
          {loaded && tab === 'grid' && <BedGrid />}
          {loaded && tab === 'around' && samuDep && <Around dep={samuDep} />}
          {loaded && tab === 'dashboard' && (
            <>
              {deps.length === 0 ? <p className="muted">{ui.beds.empty}</p> : <Dashboard deps={deps} territoryLabel={territoryLabel} byRegion={national && !region} />}
            </>
          )}
          {loaded && tab === 'map' && <BedMap deps={role?.kind === 'national' ? null : deps} />}
          {loaded && tab === 'bulletin' && (
            <Bulletin region={bulletinRegion} />
          )}
        </div>
        {showDetail && <UnitDetail />}
      </div>
      {dialog === 'import' && <ImportDialog onClose={() => setDialog(null)} />}
      {dialog === 'settings' && <SettingsDialog onClose={() => setDialog(null)} />}
    </div>
  );
}
