import { useMemo } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { formatFullTime } from '../eventlog/format';
import { useBeds } from './store';
import { useSession } from '../stores/session';
import { ageText, mapTotals, totalOf, totalsOf } from './aggregate';
import { Choropleth, MapLegend, useGeo } from './BedMap';
import { Dashboard } from './Dashboard';
import { depName, depsOfRegion, regionName } from './scope';
import { UNIT_GROUPS, unitType } from '../../../common/domain/beds/unitTypes';

/**
 * "Bulletin quotidien des tensions en soins critiques": for a region (its départements) or
 * for France (its regions), the dashboard table, one map per unit-type group and the
 * freshness figures, laid out for paper (print CSS in bulletin.css, `window.print()`).
 */
export function Bulletin({ region }: { region: string | null }) {
  const units = useBeds((s) => s.units);
  const now = useBeds((s) => s.now);
  const settings = useBeds((s) => s.settings);
  const referential = useSession((s) => s.referential);
  const { features } = useGeo();
  const deps = useMemo(() => (region ? depsOfRegion(referential, region) : null), [referential, region]);
  const scoped = useMemo(() => (deps ? units.filter((u) => deps.includes(u.dep)) : units), [units, deps]);
  const total = useMemo(() => totalOf(scoped, now, settings), [scoped, now, settings]);
  // Each group's beds on their own: a réanimation bed and a surveillance-continue bed do not add up.
  const byGroup = useMemo(() => totalsOf(scoped, (u) => unitType(u.unitType)?.group ?? null, now, settings), [scoped, now, settings]);
  const regions = useMemo(() => [...new Set(units.map((u) => u.region))].sort(), [units]);
  const shown = useMemo(() => (features && deps ? features.filter((f) => deps.includes(f.code)) : features), [features, deps]);
  const territory = region ? regionName(referential, region) : ui.beds.bulletin.france;

  return (
    <article className="bulletin" data-testid="bulletin">
      <header className="bulletin-head">
        <div>
          <h1>{ui.beds.bulletin.title}</h1>
          <p className="bulletin-sub">{ui.beds.bulletin.of(territory, formatFullTime(new Date(now).toISOString()))}</p>
        </div>
        <button type="button" className="btn btn-primary no-print" onClick={() => window.print()} data-testid="bulletin-print">
          {ui.beds.bulletin.print}
        </button>
      </header>
      <section className="bulletin-fresh" data-testid="bulletin-freshness">
        <h2>{ui.beds.bulletin.freshness}</h2>
        <p>{ui.beds.bulletin.freshnessLine(total.units, total.staleUnits, ageText(total.oldestAt, now), settings.staleAfterHours)}</p>
      </section>
      <section className="bulletin-groups" data-testid="bulletin-groups">
        <h2>{ui.beds.bulletin.groups}</h2>
        <ul className="plain">
          {UNIT_GROUPS.map((g) => {
            const t = byGroup.get(g.code);
            return t ? <li key={g.code}>{ui.beds.bulletin.groupLine(g.label, t.available, t.staffed, t.surge)}</li> : null;
          })}
        </ul>
      </section>
      <section className="bulletin-table">
        <Dashboard deps={deps ?? regions} territoryLabel={territory} byRegion={!deps} compact />
      </section>
      <section className="bulletin-maps">
        {shown &&
          UNIT_GROUPS.map((g) => (
            <figure key={g.code} className="bulletin-map">
              <figcaption>{ui.beds.bulletin.mapTitle(g.label)}</figcaption>
              <Choropleth
                features={shown}
                totals={mapTotals(scoped, g.code, now, settings)}
                settings={settings}
                now={now}
                width={420}
                height={360}
                inScope={null}
                depLabel={(d) => depName(referential, d)}
              />
            </figure>
          ))}
      </section>
      <MapLegend settings={settings} />
      <footer className="bulletin-foot muted">{ui.beds.bulletin.source}</footer>
    </article>
  );
}
