import { useEffect, useMemo } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { tensionOf } from '../../../common/domain/beds/totals';
import { UNIT_GROUPS, UNIT_TYPES, unitLabel } from '../../../common/domain/beds/unitTypes';
import { useSession } from '../stores/session';
import { useSync } from '../stores/sync';
import { aroundRows, ageText, matchesChoice } from './aggregate';
import { StaleBadge } from './Freshness';
import { depShortName } from './scope';
import { useBeds } from './store';

/** The neighbours are read again every minute while the view is open (they are not pushed). */
const AROUND_REFRESH_MS = 60_000;

const timeOf = (ms: number) => new Date(ms).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' });

/**
 * What a SAMU regulator opens on: free beds by establishment for a chosen unit type (or a
 * whole group) in its département and the bordering ones, most free first, with freshness.
 * Its own département is live (pulled); the neighbours are asked for (`beds.picture`).
 */
export function Around({ dep }: { dep: string }) {
  const referential = useSession((s) => s.referential);
  const live = useBeds((s) => s.units);
  const around = useBeds((s) => s.around);
  const aroundError = useBeds((s) => s.aroundError);
  const choice = useBeds((s) => s.aroundChoice);
  const setChoice = useBeds((s) => s.setAroundChoice);
  const now = useBeds((s) => s.now);
  const settings = useBeds((s) => s.settings);
  const select = useBeds((s) => s.select);
  const selected = useBeds((s) => s.selected);
  const neighbours = useMemo(() => referential?.departements.find((d) => d.key === `D:${dep}`)?.neighbours ?? [], [referential, dep]);

  // Read again when the connection comes back (the first read may precede it).
  const online = useSync((s) => s.status?.state === 'online');
  useEffect(() => {
    if (neighbours.length === 0) return;
    const read = () => void useBeds.getState().loadAround(neighbours);
    read();
    const timer = setInterval(read, AROUND_REFRESH_MS);
    return () => clearInterval(timer);
  }, [neighbours, online]);

  const units = useMemo(() => [...live.filter((u) => u.dep === dep), ...(around?.units ?? []).filter((u) => u.dep !== dep)], [live, around, dep]);
  const rows = useMemo(() => aroundRows(units, choice, now, settings), [units, choice, now, settings]);
  const what = choice.startsWith('group:')
    ? (UNIT_GROUPS.find((g) => `group:${g.code}` === choice)?.label ?? choice)
    : (UNIT_TYPES.find((t) => t.code === choice)?.label ?? choice);

  return (
    <section className="around" data-testid="beds-around">
      <div className="around-head">
        <label>
          {ui.beds.around.choice}{' '}
          <select value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="around-choice">
            {UNIT_GROUPS.map((g) => (
              <optgroup key={g.code} label={g.label}>
                <option value={`group:${g.code}`}>{ui.beds.around.groupOption(g.label)}</option>
                {UNIT_TYPES.filter((t) => t.group === g.code).map((t) => (
                  <option key={t.code} value={t.code}>
                    {t.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <h2 className="around-title">{ui.beds.around.heading(what, depShortName(referential, dep), neighbours.map((n) => depShortName(referential, n)).join(', '))}</h2>
        <span className={`around-status small${around && !around.complete ? ' stale-text' : ' muted'}`} data-testid="around-status" role="status">
          {aroundError ?? (around ? (around.complete ? ui.beds.around.readAt(timeOf(around.readAt)) : ui.beds.around.offline(timeOf(around.readAt))) : neighbours.length ? ui.beds.around.loading : '')}
        </span>
      </div>
      {rows.length === 0 ? (
        <p className="muted">{ui.beds.around.none}</p>
      ) : (
        <table className="around-table" data-testid="around-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                {ui.beds.around.free}
              </th>
              <th scope="col" className="num">
                {ui.beds.around.staffed}
              </th>
              <th scope="col">{ui.beds.around.establishment}</th>
              <th scope="col">{ui.beds.around.departement}</th>
              <th scope="col">{ui.beds.around.units}</th>
              <th scope="col">{ui.beds.around.freshness}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const tension = tensionOf(r.total, settings.thresholds);
              const open = () => {
                const u = r.units[0];
                select({ finess: u.finess, unitId: u.unitId, unitType: u.unitType });
              };
              const isSelected = selected?.finess === r.finess;
              return (
                <tr
                  key={r.finess}
                  tabIndex={0}
                  className={`${r.total.staleUnits ? 'is-stale' : ''}${isSelected ? ' selected' : ''}`}
                  data-testid={`around-row-${r.finess}`}
                  data-tension={tension}
                  data-free={r.total.available}
                  title={ui.beds.around.rowTitle(r.establishmentName)}
                  onClick={open}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') open();
                    if (e.key === 'ArrowDown') (e.currentTarget.nextElementSibling as HTMLElement | null)?.focus();
                    if (e.key === 'ArrowUp') (e.currentTarget.previousElementSibling as HTMLElement | null)?.focus();
                  }}
                >
                  <td className={`num around-free tension-text-${tension}`}>
                    {ui.beds.tension.glyph[tension] && <span aria-hidden="true">{ui.beds.tension.glyph[tension]} </span>}
                    <strong>{r.total.available}</strong>
                    {r.total.surge > 0 && (
                      <span className="surge-mark" title={ui.beds.surgeTitle(r.total.surge)}>
                        {' '}
                        {ui.beds.surgeShort(r.total.surge)}
                      </span>
                    )}
                  </td>
                  <td className="num">{r.total.staffed}</td>
                  <td className="around-name">
                    {r.shortName} <span className="muted">{r.city}</span>
                  </td>
                  <td title={r.dep === dep ? ui.beds.around.ownDep : undefined} className={r.dep === dep ? 'around-own' : ''}>
                    {r.dep} {depShortName(referential, r.dep)}
                  </td>
                  <td className="small">
                    {r.units
                      .filter((u) => matchesChoice(u, choice))
                      .map((u) => `${unitLabel(u, true)} ${u.available}/${u.staffed}`)
                      .join(' · ')}
                  </td>
                  <td className={`small${r.total.staleUnits ? ' stale-text' : ''}`}>
                    {ageText(r.total.oldestAt, now)} {r.total.staleUnits > 0 && <StaleBadge />}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
