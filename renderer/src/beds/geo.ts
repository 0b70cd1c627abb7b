/**
 * The map's geometry, pure and DOM-free: outline simplification (used once, offline, to
 * produce the bundled `public/geo/departements.json`), and the projection of longitude /
 * latitude to SVG coordinates — metropolitan France (Corsica included) in the main frame,
 * the five overseas départements as small insets along the left edge, the way French
 * official maps place them. No tile server, no projection library: it must work offline.
 */

export type Position = [number, number];
export type Ring = Position[];
export type PolygonCoords = Ring[];

export interface DepFeature {
  code: string;
  nom: string;
  /** A MultiPolygon's coordinates (a Polygon is wrapped into one). */
  polygons: PolygonCoords[];
}

export interface GeoFeatureIn {
  properties: { code: string; nom: string };
  geometry: { type: 'Polygon'; coordinates: PolygonCoords } | { type: 'MultiPolygon'; coordinates: PolygonCoords[] };
}

// ---- simplification (Douglas–Peucker on each ring) ---------------------------------------

function perpendicularDistance(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Douglas–Peucker simplification of an open polyline, keeping both ends. */
export function simplifyLine(points: readonly Position[], tolerance: number): Position[] {
  if (points.length <= 2) return points.slice();
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: Array<[number, number]> = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop() as [number, number];
    let maxDist = 0;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = perpendicularDistance(points[i], points[first], points[last]);
      if (d > maxDist) {
        maxDist = d;
        index = i;
      }
    }
    if (index >= 0 && maxDist > tolerance) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

/** Signed area of a ring, in square degrees (shoelace). */
export function ringArea(ring: readonly Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
  return a / 2;
}

/**
 * Simplifies a ring (closed: first = last). A ring that collapses to fewer than four
 * points, or whose area falls under `minArea`, is dropped (returns null): islets vanish,
 * the département stays.
 */
export function simplifyRing(ring: readonly Position[], tolerance: number, minArea: number): Ring | null {
  if (Math.abs(ringArea(ring)) < minArea) return null;
  // Split at the farthest point from the start so that Douglas–Peucker sees two open lines.
  let far = 0;
  let farDist = -1;
  for (let i = 1; i < ring.length; i++) {
    const d = Math.hypot(ring[i][0] - ring[0][0], ring[i][1] - ring[0][1]);
    if (d > farDist) {
      farDist = d;
      far = i;
    }
  }
  const a = simplifyLine(ring.slice(0, far + 1), tolerance);
  const b = simplifyLine(ring.slice(far), tolerance);
  const out = [...a, ...b.slice(1)];
  if (out.length < 4) return null;
  return out.map(([x, y]) => [round(x), round(y)] as Position);
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** Simplifies a département: its largest polygon is always kept, even when tiny. */
export function simplifyFeature(f: GeoFeatureIn, tolerance: number, minArea: number): DepFeature {
  const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  const largest = polygons.reduce((best, p) => (Math.abs(ringArea(p[0])) > Math.abs(ringArea(best[0])) ? p : best), polygons[0]);
  const out: PolygonCoords[] = [];
  for (const poly of polygons) {
    const outer = simplifyRing(poly[0], tolerance, poly === largest ? 0 : minArea);
    if (!outer) continue;
    const holes = poly.slice(1).flatMap((h) => {
      const s = simplifyRing(h, tolerance, minArea);
      return s ? [s] : [];
    });
    out.push([outer, ...holes]);
  }
  return { code: f.properties.code, nom: f.properties.nom, polygons: out };
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

/**
 * An equirectangular projection with the cos(latitude) correction at the frame's middle
 * latitude (over France's extent the distortion stays under a few per cent), fitted
 * into `rect` with its aspect ratio kept and centred.
 */
export function fitProjection(bounds: Bounds, rect: Rect): (lon: number, lat: number) => Position {
  const k = Math.cos((((bounds.minLat + bounds.maxLat) / 2) * Math.PI) / 180);
  const w = Math.max((bounds.maxLon - bounds.minLon) * k, 1e-9);
  const h = Math.max(bounds.maxLat - bounds.minLat, 1e-9);
  const scale = Math.min(rect.width / w, rect.height / h);
  const ox = rect.x + (rect.width - w * scale) / 2;
  const oy = rect.y + (rect.height - h * scale) / 2;
  return (lon, lat) => [ox + (lon - bounds.minLon) * k * scale, oy + (bounds.maxLat - lat) * scale];
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
  if (metro.length) projections.set('metro', fitProjection(boundsOf(metro), metroRect));
  const slot = present.length ? (height - gap * (present.length - 1)) / present.length : 0;
  present.forEach((code, i) => {
    const rect: Rect = { x: 0, y: i * (slot + gap), width: insetWidth, height: slot };
    frames.set(code, rect);
    const pad = 6;
    const inner: Rect = { x: rect.x + pad, y: rect.y + pad, width: rect.width - 2 * pad, height: rect.height - 2 * pad };
    projections.set(code, fitProjection(boundsOf(features.filter((f) => f.code === code)), inner));
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
  return fitProjection(boundsOf([f]), rect);
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
