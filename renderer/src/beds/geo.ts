/**
 * The map's geometry, pure and DOM-free: the projection of longitude / latitude to SVG
 * coordinates with d3-geo's conic conformal projection (Lambert's, as French official maps
 * use: standard parallels 44° N and 49° N, central meridian 3° E, Lambert-93's), metropolitan
 * France (Corsica included) in the main frame, the five overseas départements as small
 * insets along the left edge, each in a conic conformal fitted to its own latitudes. No tile
 * server: it must work offline. The bundled outlines are simplified beforehand by
 * `scripts/make-departements.mjs` (topojson), not here.
 */
import { geoConicConformal, type GeoProjection } from 'd3-geo';

export type Position = [number, number];
export type Ring = Position[];
export type PolygonCoords = Ring[];

export interface DepFeature {
  code: string;
  nom: string;
  /** A MultiPolygon's coordinates (a Polygon is wrapped into one). */
  polygons: PolygonCoords[];
}

/** Signed area of a ring, in square degrees (shoelace): to find a département's largest ring. */
export function ringArea(ring: readonly Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
  return a / 2;
}

// ---- projection ------------------------------------------------------------------------

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The overseas départements, in the order their insets are stacked. */
export const OVERSEAS = ['971', '972', '973', '974', '976'] as const;

export interface MapLayout {
  width: number;
  height: number;
  /** Where each frame sits: `metro` and one per overseas département. */
  frames: Map<string, Rect>;
  /** Projects a point of a département's frame (`metro` for every metropolitan département). */
  project(frame: string, lon: number, lat: number): Position;
  frameOf(depCode: string): string;
}

interface Bounds {
  minLon: number;
  maxLon: number;
  minLat: number;
  maxLat: number;
}

function boundsOf(features: readonly DepFeature[]): Bounds {
  const b: Bounds = { minLon: Infinity, maxLon: -Infinity, minLat: Infinity, maxLat: -Infinity };
  for (const f of features)
    for (const poly of f.polygons)
      for (const [lon, lat] of poly[0]) {
        if (lon < b.minLon) b.minLon = lon;
        if (lon > b.maxLon) b.maxLon = lon;
        if (lat < b.minLat) b.minLat = lat;
        if (lat > b.maxLat) b.maxLat = lat;
      }
  return b;
}

/** Lambert-93's parameters: the projection of metropolitan France. */
const METRO_PARALLELS: [number, number] = [44, 49];
const METRO_MERIDIAN = 3;

/**
 * A conic conformal projection fitted into `rect` around `features` (aspect kept, centred):
 * Lambert-93's parallels and meridian for metropolitan départements, parallels at a fifth
 * and four fifths of the features' latitudes and their middle meridian for an overseas one.
 * Fitted on the outer rings' points, so the fit does not depend on the rings' winding.
 */
export function fitConformal(features: readonly DepFeature[], rect: Rect, metropolitan: boolean): (lon: number, lat: number) => Position {
  const b = boundsOf(features);
  const span = b.maxLat - b.minLat;
  const projection: GeoProjection = metropolitan
    ? geoConicConformal().parallels(METRO_PARALLELS).rotate([-METRO_MERIDIAN, 0])
    : geoConicConformal()
        .parallels([b.minLat + span / 5, b.maxLat - span / 5])
        .rotate([-(b.minLon + b.maxLon) / 2, 0]);
  const points: Position[] = [];
  for (const f of features) for (const poly of f.polygons) for (const p of poly[0]) points.push(p);
  projection.fitExtent(
    [
      [rect.x, rect.y],
      [rect.x + rect.width, rect.y + rect.height],
    ],
    { type: 'MultiPoint', coordinates: points },
  );
  return (lon, lat) => projection([lon, lat]) ?? [Number.NaN, Number.NaN];
}

/**
 * Lays out France: a column of overseas insets on the left (one fifth of the width), the
 * metropolitan frame on the right. Départements of a frame absent from `features` simply
 * get no inset.
 */
export function franceLayout(features: readonly DepFeature[], width: number, height: number): MapLayout {
  const overseasSet = new Set<string>(OVERSEAS);
  const metro = features.filter((f) => !overseasSet.has(f.code));
  const present = OVERSEAS.filter((c) => features.some((f) => f.code === c));
  const gap = 8;
  const insetWidth = present.length ? Math.round(width * 0.17) : -gap;
  const frames = new Map<string, Rect>();
  const projections = new Map<string, (lon: number, lat: number) => Position>();
  const metroRect: Rect = { x: insetWidth + gap, y: 0, width: width - insetWidth - gap, height };
  frames.set('metro', metroRect);
  if (metro.length) projections.set('metro', fitConformal(metro, metroRect, true));
  const slot = present.length ? (height - gap * (present.length - 1)) / present.length : 0;
  present.forEach((code, i) => {
    const rect: Rect = { x: 0, y: i * (slot + gap), width: insetWidth, height: slot };
    frames.set(code, rect);
    const pad = 6;
    const inner: Rect = { x: rect.x + pad, y: rect.y + pad, width: rect.width - 2 * pad, height: rect.height - 2 * pad };
    projections.set(code, fitConformal(features.filter((f) => f.code === code), inner, false));
  });
  const frameOf = (dep: string) => (overseasSet.has(dep) ? dep : 'metro');
  return {
    width,
    height,
    frames,
    frameOf,
    project(frame, lon, lat) {
      const p = projections.get(frame);
      return p ? p(lon, lat) : [Number.NaN, Number.NaN];
    },
  };
}

/** The SVG path of a département in its frame (coordinates rounded to 0.1 px). */
export function depPath(f: DepFeature, layout: MapLayout): string {
  const frame = layout.frameOf(f.code);
  const parts: string[] = [];
  for (const poly of f.polygons)
    for (const ring of poly) {
      let d = '';
      ring.forEach(([lon, lat], i) => {
        const [x, y] = layout.project(frame, lon, lat);
        d += `${i === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`;
      });
      parts.push(`${d}Z`);
    }
  return parts.join('');
}

/** A point to anchor a label or a tooltip: the centre of the largest ring's bounding box. */
export function depAnchor(f: DepFeature, layout: MapLayout): Position {
  const frame = layout.frameOf(f.code);
  let best: Ring | null = null;
  for (const poly of f.polygons) if (!best || Math.abs(ringArea(poly[0])) > Math.abs(ringArea(best))) best = poly[0];
  if (!best) return [0, 0];
  const b = boundsOf([{ code: f.code, nom: f.nom, polygons: [[best]] }]);
  return layout.project(frame, (b.minLon + b.maxLon) / 2, (b.minLat + b.maxLat) / 2);
}

/** The projected width of a département's largest ring, in pixels (to decide whether a label fits). */
export function depWidth(f: DepFeature, layout: MapLayout): number {
  const frame = layout.frameOf(f.code);
  let best: Ring | null = null;
  for (const poly of f.polygons) if (!best || Math.abs(ringArea(poly[0])) > Math.abs(ringArea(best))) best = poly[0];
  if (!best) return 0;
  const b = boundsOf([{ code: f.code, nom: f.nom, polygons: [[best]] }]);
  return layout.project(frame, b.maxLon, b.minLat)[0] - layout.project(frame, b.minLon, b.minLat)[0];
}

/** A projection fitted to one département alone (the drill-down view). */
export function depZoom(f: DepFeature, rect: Rect): (lon: number, lat: number) => Position {
  return fitConformal([f], rect, !(OVERSEAS as readonly string[]).includes(f.code));
}

export function zoomPath(f: DepFeature, project: (lon: number, lat: number) => Position): string {
  const parts: string[] = [];
  for (const poly of f.polygons)
    for (const ring of poly) {
      let d = '';
      ring.forEach(([lon, lat], i) => {
        const [x, y] = project(lon, lat);
        d += `${i === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`;
      });
      parts.push(`${d}Z`);
    }
  return parts.join('');
}
