import { useEffect, useMemo, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { useBeds } from './store';
import { useSession } from '../stores/session';
import { mapTotals, percent, tensionOrNone, totalFreshness, totalOf, totalsOf, ageText } from './aggregate';
import { depAnchor, depPath, depWidth, depZoom, franceLayout, zoomPath, type DepFeature } from './geo';
import { depName, regionName } from './scope';
import { StaleBadge } from './Freshness';
import { tensionOf, type BedTotal, type FreshnessSettings } from '../../../common/domain/beds/totals';
import { UNIT_GROUPS, unitLabel, unitType, type UnitGroup } from '../../../common/domain/beds/unitTypes';
import type { UnitView } from '../../../common/domain/beds/views';

interface GeoFile {
  departements: DepFeature[];
}

let geoPromise: Promise<DepFeature[]> | null = null;

/** The bundled outlines (renderer/public/geo), fetched once per session from the app itself. */
function loadGeo(): Promise<DepFeature[]> {
  geoPromise ??= fetch('./geo/departements.json')
    .then((r) => {
      if (!r.ok) throw new Error(String(r.status));
      return r.json() as Promise<GeoFile>;
    })
    .then((g) => g.departements)
    .catch((e: unknown) => {
      geoPromise = null;
      throw e;
    });
  return geoPromise;
}

export function useGeo(): { features: DepFeature[] | null; error: boolean } {
  const [features, setFeatures] = useState<DepFeature[] | null>(null);
  const [error, setError] = useState(false);
  useEffect(() => {
    let live = true;
    loadGeo().then(
      (f) => live && setFeatures(f),
      () => live && setError(true),
    );
    return () => {
      live = false;
    };
  }, []);
  return { features, error };
}

export function MapLegend({ settings }: { settings: FreshnessSettings }) {
  const few = settings.thresholds.fewFree;
  return (
    <div className="map-legend" data-testid="map-legend">
      <span className="legend-title">{ui.beds.tension.legendTitle}</span>
      <span className="legend-item">
        <i className="swatch tension-green" /> {ui.beds.tension.enough(few)}
      </span>
      <span className="legend-item">
        <i className="swatch tension-orange">{ui.beds.tension.glyph.orange}</i> {ui.beds.tension.few(few)}
      </span>
      <span className="legend-item">
        <i className="swatch tension-red">{ui.beds.tension.glyph.red}</i> {ui.beds.tension.saturated}
      </span>
      <span className="legend-item">
        <i className="swatch tension-none" /> {ui.beds.tension.noUnit}
      </span>
      <span className="legend-item">
        <i className="swatch swatch-stale" /> {ui.beds.stale}
      </span>
    </div>
  );
}

interface ChoroplethProps {
  features: DepFeature[];
  totals: Map<string, BedTotal>;
  settings: FreshnessSettings;
  now: number;
  width: number;
  height: number;
  /** Départements the user may click (others are drawn, dimmed). */
  inScope: ReadonlySet<string> | null;
  onPick?: (dep: string) => void;
  depLabel: (dep: string) => string;
  /** Areas labelled over several départements (the national map's régions): their name and figures at the middle of their départements. */
  areaLabels?: Array<{ key: string; name: string; total: BedTotal | undefined; codes: string[] }>;
}

/** The choropleth: one SVG path per département, coloured by tension, hatched when stale units are inside. */
export function Choropleth({ features, totals, settings, now, width, height, inScope, onPick, depLabel, areaLabels }: ChoroplethProps) {
  const layout = useMemo(() => franceLayout(features, width, height), [features, width, height]);
  const paths = useMemo(
    () => features.map((f) => ({ f, d: depPath(f, layout), anchor: depAnchor(f, layout), roomy: depWidth(f, layout) > 90 })),
    [features, layout],
  );
  const [hover, setHover] = useState<string | null>(null);
  const hovered = hover ? totals.get(hover) : undefined;
  const small = features.length <= 12;
  const areas = useMemo(() => {
    if (!areaLabels) return [];
    const anchors = new Map(paths.map((p) => [p.f.code, p.anchor]));
    return areaLabels.flatMap((a) => {
      const pts = a.codes.map((c) => anchors.get(c)).filter((p): p is [number, number] => p !== undefined);
      if (pts.length === 0) return [];
      return [{ ...a, x: pts.reduce((s, p) => s + p[0], 0) / pts.length, y: pts.reduce((s, p) => s + p[1], 0) / pts.length }];
    });
  }, [areaLabels, paths]);

  return (
    <div className="choropleth">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={ui.beds.map.label} className="map-svg">
        <defs>
          <pattern id="stale-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
            <line x1="0" y1="0" x2="0" y2="6" stroke="rgba(11,16,22,0.6)" strokeWidth="2" />
          </pattern>
        </defs>
        {[...layout.frames.entries()]
          .filter(([k]) => k !== 'metro')
          .map(([k, r]) => (
            <rect key={k} x={r.x} y={r.y} width={r.width} height={r.height} className="inset-frame" />
          ))}
        {paths.map(({ f, d }) => {
          const t = totals.get(f.code);
          const tension = tensionOrNone(t, settings);
          const enabled = !inScope || inScope.has(f.code);
          const label = t
            ? `${ui.beds.map.tooltip(depLabel(f.code), t.available, t.staffed, percent(occ(t)))}\n${totalFreshness(t, now)}`
            : ui.beds.map.tooltipNone(depLabel(f.code));
          return (
            <g key={f.code}>
              <path
                d={d}
                className={`map-dep tension-${tension}${enabled ? '' : ' out-of-scope'}${hover === f.code ? ' hovered' : ''}`}
                data-testid={`map-dep-${f.code}`}
                data-tension={tension}
                data-stale-units={t?.staleUnits ?? 0}
                tabIndex={enabled && onPick ? 0 : -1}
                role={enabled && onPick ? 'button' : undefined}
                aria-label={label}
                onMouseEnter={() => setHover(f.code)}
                onMouseLeave={() => setHover((h) => (h === f.code ? null : h))}
                onFocus={() => setHover(f.code)}
                onClick={() => enabled && onPick?.(f.code)}
                onKeyDown={(e) => {
                  if (enabled && onPick && (e.key === 'Enter' || e.key === ' ')) {
                    e.preventDefault();
                    onPick(f.code);
                  }
                }}
              >
                <title>{label}</title>
              </path>
              {t && t.staleUnits > 0 && <path d={d} className="map-stale-hatch" fill="url(#stale-hatch)" pointerEvents="none" />}
            </g>
          );
        })}
        {small &&
          paths.map(({ f, anchor, roomy }) => {
            // Small départements (Paris and its ring) get their code only; the table beside the map has their figures.
            const t = roomy ? totals.get(f.code) : undefined;
            return (
              <text key={f.code} x={anchor[0]} y={anchor[1]} className="map-label" textAnchor="middle" pointerEvents="none">
                <tspan x={anchor[0]} dy="-0.2em" className="map-label-code">
                  {f.code}
                </tspan>
                {t && (
                  <tspan x={anchor[0]} dy="1.2em" className="map-label-value">
                    {t.available}/{t.staffed}
                  </tspan>
                )}
              </text>
            );
          })}
        {areas.map((a) => (
          <text key={a.key} x={a.x} y={a.y} className="map-label map-area-label" textAnchor="middle" pointerEvents="none" data-testid={`map-area-label-${a.key}`}>
            <tspan x={a.x} dy="-0.2em" className="map-label-code">
              {a.name}
            </tspan>
            {a.total && (
              <tspan x={a.x} dy="1.2em" className="map-label-value">
                {a.total.available}/{a.total.staffed}
                {a.total.surge ? ` ${ui.beds.surgeShort(a.total.surge)}` : ''}
              </tspan>
            )}
          </text>
        ))}
      </svg>
      <div className="map-hover" aria-live="polite">
        {hover ? (
          <>
            <strong>{depLabel(hover)}</strong>
            {hovered ? (
              <span>
                {ui.beds.map.figures(hovered.available, hovered.staffed, percent(occ(hovered)))} · {totalFreshness(hovered, now)}
              </span>
            ) : (
              <span className="muted">{ui.beds.tension.noUnit}</span>
            )}
          </>
        ) : (
          <span className="muted">{ui.beds.map.clickHint}</span>
        )}
      </div>
    </div>
  );
}

const occ = (t: BedTotal) => (t.staffed > 0 ? (t.staffed - t.available) / t.staffed : null);

function GroupPicker() {
  const group = useBeds((s) => s.mapGroup);
  const setGroup = useBeds((s) => s.setMapGroup);
  return (
    <div className="seg" role="group" aria-label={ui.beds.map.group} data-testid="map-group">
      {UNIT_GROUPS.map((g) => (
        <button key={g.code} type="button" className={`seg-btn${group === g.code ? ' active' : ''}`} aria-pressed={group === g.code} onClick={() => setGroup(g.code)}>
          {g.label}
        </button>
      ))}
    </div>
  );
}

/** Drill-down: one département, its establishments as points (FINESS coordinates) and their units. */
function DepDrill({ feature, group }: { feature: DepFeature; group: UnitGroup }) {
  const units = useBeds((s) => s.units);
  const now = useBeds((s) => s.now);
  const settings = useBeds((s) => s.settings);
  const select = useBeds((s) => s.select);
  const referential = useSession((s) => s.referential);
  const W = 520;
  const H = 440;
  const project = useMemo(() => depZoom(feature, { x: 16, y: 16, width: W - 32, height: H - 32 }), [feature]);
  const d = useMemo(() => zoomPath(feature, project), [feature, project]);
  const establishments = useMemo(() => {
    const byFiness = new Map<string, UnitView[]>();
    for (const u of units) {
      if (u.dep !== feature.code) continue;
      const list = byFiness.get(u.finess) ?? [];
      list.push(u);
      byFiness.set(u.finess, list);
    }
    return [...byFiness.values()].sort((a, b) => a[0].establishmentShortName.localeCompare(b[0].establishmentShortName, 'fr'));
  }, [units, feature.code]);
  const noCoords = establishments.filter((l) => l[0].lat === null || l[0].lon === null).length;

  return (
    <div className="drill">
      <svg viewBox={`0 0 ${W} ${H}`} className="drill-svg" role="img" aria-label={ui.beds.map.drillTitle(depName(referential, feature.code))}>
        <path d={d} className="drill-dep" />
        {establishments.map((list) => {
          const e = list[0];
          if (e.lat === null || e.lon === null) return null;
          const [x, y] = project(e.lon, e.lat);
          const inGroup = list.filter((u) => unitType(u.unitType)?.group === group);
          const t = totalOf(inGroup, now, settings);
          const tension = inGroup.length ? tensionOrNone(t, settings) : 'none';
          const r = 5 + Math.min(12, Math.sqrt(t.staffed || 1) * 1.6);
          return (
            <g key={e.finess} data-testid={`map-est-${e.finess}`} data-tension={tension}>
              <circle cx={x} cy={y} r={r} className={`est-dot tension-${tension}${t.staleUnits ? ' is-stale' : ''}`}>
                <title>{`${e.establishmentName} — ${t.available}/${t.staffed}${t.surge ? ` (${ui.beds.surgeTitle(t.surge)})` : ''} · ${totalFreshness(t, now)}`}</title>
              </circle>
              <text x={x + r + 4} y={y + 4} className="est-label">
                {e.establishmentShortName}
                {inGroup.length > 0 && <tspan className="est-label-value">{` ${t.available}/${t.staffed}`}</tspan>}
              </text>
            </g>
          );
        })}
      </svg>
      <div className="drill-list">
        <h3>{ui.beds.map.drillTitle(depName(referential, feature.code))}</h3>
        {noCoords > 0 && <p className="muted small">{ui.beds.map.noCoordinates(noCoords)}</p>}
        {establishments.length === 0 && <p className="muted">{ui.beds.map.noEstablishment}</p>}
        <ul className="plain drill-ests">
          {establishments.map((list) => (
            <li key={list[0].finess} className="drill-est">
              <div className="drill-est-name" title={list[0].establishmentName}>
                {list[0].establishmentShortName} <span className="muted">{list[0].city}</span>
              </div>
              <table className="drill-units">
                <tbody>
                  {list.map((u) => {
                    const stale = now - Date.parse(u.at) > settings.staleAfterHours * 3_600_000;
                    const tension = tensionOf({ staffed: u.staffed, available: u.available, units: 1 }, settings.thresholds);
                    return (
                      <tr key={u.unitId} className={stale ? 'is-stale' : ''} data-testid={`map-unit-${u.finess}:${u.unitId}`} data-tension={tension} onClick={() => select({ finess: u.finess, unitId: u.unitId, unitType: u.unitType })}>
                        <td className="drill-unit-label">{unitLabel(u)}</td>
                        <td className={`num tension-text-${tension}`}>
                          {ui.beds.tension.glyph[tension] && <span aria-hidden="true">{ui.beds.tension.glyph[tension]} </span>}
                          <strong>{u.available}</strong> / {u.staffed} / {u.installed}
                          {u.surge ? <span className="surge-mark" title={ui.beds.surgeTitle(u.surge)}> {ui.beds.surgeShort(u.surge)}</span> : null}
                        </td>
                        <td className="drill-age">
                          {ageText(u.at, now)} {stale && <StaleBadge />}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** Beside the map: every département in view with its figures, tension and freshness (also the keyboard way in). */
function DepTable({ codes, totals, onPick, nameOf, heading }: { codes: string[]; totals: Map<string, BedTotal>; onPick: (dep: string) => void; nameOf?: (code: string) => string; heading?: string }) {
  const now = useBeds((s) => s.now);
  const settings = useBeds((s) => s.settings);
  const referential = useSession((s) => s.referential);
  // A national map lists the départements that have units; the others are counted.
  const withUnits = codes.filter((c) => totals.has(c));
  const rows = (codes.length > 20 ? withUnits : codes).sort((a, b) => a.localeCompare(b));
  const hidden = codes.length - rows.length;
  return (
    <table className="dep-table" data-testid="map-dep-table">
      {hidden > 0 && <caption className="muted small">{ui.beds.map.withoutUnits(hidden)}</caption>}
      <thead>
        <tr>
          <th scope="col">{heading ?? ui.beds.map.departement}</th>
          <th scope="col" className="num">
            {ui.beds.col.available}
          </th>
          <th scope="col" className="num">
            {ui.beds.col.staffed}
          </th>
          <th scope="col">{ui.beds.col.occupancy}</th>
          <th scope="col">{ui.beds.col.freshness}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((code) => {
          const t = totals.get(code);
          const tension = tensionOrNone(t, settings);
          return (
            <tr key={code} tabIndex={0} onClick={() => onPick(code)} onKeyDown={(e) => e.key === 'Enter' && onPick(code)}>
              <th scope="row">{nameOf ? nameOf(code) : depName(referential, code)}</th>
              <td className="num dash-value-sm">{t ? t.available : ui.beds.detail.none}</td>
              <td className="num">{t ? t.staffed : ui.beds.detail.none}</td>
              <td>
                <span className={`tension-chip tension-${tension}`}>{t ? percent(occ(t)) : ui.beds.detail.none}</span>
              </td>
              <td className={`small${t?.staleUnits ? ' stale-text' : ' muted'}`}>{t ? totalFreshness(t, now) : ui.beds.tension.noUnit}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The map board: group picker, choropleth of the user's scope (or France), legend, drill-down. */
export function BedMap({ deps }: { deps: string[] | null }) {
  const { features, error } = useGeo();
  const units = useBeds((s) => s.units);
  const now = useBeds((s) => s.now);
  const settings = useBeds((s) => s.settings);
  const group = useBeds((s) => s.mapGroup);
  const mapDep = useBeds((s) => s.mapDep);
  const setMapDep = useBeds((s) => s.setMapDep);
  const referential = useSession((s) => s.referential);
  const totals = useMemo(() => mapTotals(units, group, now, settings), [units, group, now, settings]);
  const shown = useMemo(() => {
    if (!features) return null;
    if (!deps) return features;
    const set = new Set(deps);
    return features.filter((f) => set.has(f.code));
  }, [features, deps]);
  const drill = mapDep && features ? features.find((f) => f.code === mapDep) : undefined;
  // The national map reads by région first: each département takes its région's colour, the région its label.
  const level = useBeds((s) => s.mapLevel);
  const setLevel = useBeds((s) => s.setMapLevel);
  const byRegion = deps === null && level === 'region';
  const regionOf = useMemo(() => new Map((referential?.departements ?? []).map((d) => [d.key.slice(2), d.region])), [referential]);
  const regionTotals = useMemo(() => (byRegion ? totalsOf(units, (u) => (unitType(u.unitType)?.group === group ? u.region : null), now, settings) : null), [byRegion, units, group, now, settings]);
  const shownTotals = useMemo(() => {
    if (!regionTotals || !features) return totals;
    const out = new Map<string, BedTotal>();
    for (const f of features) {
      const t = regionTotals.get(regionOf.get(f.code) ?? '');
      if (t) out.set(f.code, t);
    }
    return out;
  }, [regionTotals, features, totals, regionOf]);
  const areaLabels = useMemo(
    () =>
      regionTotals
        ? (referential?.regions ?? []).map((r) => {
            const code = r.key.slice(2);
            return { key: code, name: regionName(referential, code), total: regionTotals.get(code), codes: [...regionOf.entries()].filter(([, reg]) => reg === code).map(([d]) => d) };
          })
        : undefined,
    [regionTotals, referential, regionOf],
  );

  return (
    <section className="bed-map" data-testid="bed-map">
      <div className="map-toolbar">
        <GroupPicker />
        {deps === null && !drill && (
          <div className="seg" role="group" aria-label={ui.beds.mapLevel.label} data-testid="map-level">
            {(['region', 'departement'] as const).map((l) => (
              <button key={l} type="button" className={`seg-btn${level === l ? ' active' : ''}`} aria-pressed={level === l} onClick={() => setLevel(l)} data-testid={`map-level-${l}`}>
                {ui.beds.mapLevel[l]}
              </button>
            ))}
          </div>
        )}
        {drill && (
          <button type="button" className="btn btn-small" onClick={() => setMapDep(null)} data-testid="map-back">
            ← {ui.beds.map.back}
          </button>
        )}
        <MapLegend settings={settings} />
      </div>
      {error && <p className="form-error">{ui.beds.map.loadError}</p>}
      {!error && !shown && <p className="muted">{ui.beds.map.loading}</p>}
      {shown && !drill && (
        <div className="map-layout">
        <Choropleth
          features={shown}
          totals={shownTotals}
          settings={settings}
          now={now}
          width={deps ? 760 : 900}
          height={deps ? 600 : 760}
          inScope={null}
          onPick={(dep) => setMapDep(dep)}
          depLabel={(d) => (byRegion ? `${regionName(referential, regionOf.get(d) ?? '')} (${depName(referential, d)})` : depName(referential, d))}
          areaLabels={areaLabels}
        />
        {regionTotals ? (
          <DepTable
            codes={(referential?.regions ?? []).map((r) => r.key.slice(2))}
            totals={regionTotals}
            onPick={() => setLevel('departement')}
            nameOf={(c) => regionName(referential, c)}
            heading={ui.beds.mapLevel.region}
          />
        ) : (
          <DepTable codes={shown.map((f) => f.code)} totals={totals} onPick={(dep) => setMapDep(dep)} />
        )}
        </div>
      )}
      {drill && <DepDrill feature={drill} group={group} />}
    </section>
  );
}
