import { describe, expect, it } from 'vitest';
// The file the renderer bundles (public/geo), read as text the way Vite serves it.
import raw from '../../public/geo/departements.json?raw';
import { depAnchor, depPath, fitConformal, franceLayout, type DepFeature, type Position } from './geo';

const bundled = JSON.parse(raw) as { departements: DepFeature[] };
const deps = bundled.departements;

describe('the bundled outlines', () => {
  it('hold the 101 départements, Corsica and the overseas ones included', () => {
    expect(deps).toHaveLength(101);
    for (const code of ['01', '2A', '2B', '75', '971', '972', '973', '974', '976']) expect(deps.some((d) => d.code === code)).toBe(true);
  });

  it('simplify a shared border once: neighbours meet on the same vertices, no sliver between them', () => {
    const vertices = (code: string) => {
      const dep = deps.find((d) => d.code === code) as DepFeature;
      return new Set(dep.polygons.flatMap((p) => p.flatMap((r) => r.map(([x, y]) => `${x},${y}`))));
    };
    // Paris is enclosed by the Hauts-de-Seine, the Seine-Saint-Denis and the Val-de-Marne:
    // every point of its outline is a point of theirs (simplified ring by ring, 6 of its 12 were not).
    const around = new Set([...vertices('92'), ...vertices('93'), ...vertices('94')]);
    const paris = [...vertices('75')];
    expect(paris.length).toBeGreaterThan(8);
    expect(paris.filter((v) => !around.has(v))).toEqual([]);
    // Not neighbours: nothing in common.
    expect([...vertices('29')].filter((v) => vertices('67').has(v))).toEqual([]);
  });
});

describe('projection', () => {
  const layout = franceLayout(deps, 900, 760);
  const anchor = (code: string) => depAnchor(deps.find((d) => d.code === code) as DepFeature, layout);

  it('puts north above south and west left of east, inside the metropolitan frame', () => {
    const [nordX, nordY] = anchor('59');
    const [pyrX, pyrY] = anchor('66');
    const [finX] = anchor('29');
    const [basX] = anchor('67');
    expect(nordY).toBeLessThan(pyrY);
    expect(finX).toBeLessThan(basX);
    const metro = layout.frames.get('metro');
    for (const [x, y] of [anchor('59'), anchor('66'), anchor('29'), anchor('2A'), anchor('75')]) {
      expect(x).toBeGreaterThanOrEqual(metro?.x ?? 0);
      expect(x).toBeLessThanOrEqual((metro?.x ?? 0) + (metro?.width ?? 0));
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(760);
    }
    // Paris lies between Lille and Perpignan.
    expect(anchor('75')[1]).toBeGreaterThan(nordY);
    expect(anchor('75')[1]).toBeLessThan(pyrY);
  });

  it('draws each overseas département in its own inset, left of the mainland', () => {
    const metroX = layout.frames.get('metro')?.x ?? 0;
    for (const code of ['971', '972', '973', '974', '976']) {
      const frame = layout.frames.get(code);
      const [x, y] = anchor(code);
      expect(frame).toBeDefined();
      expect(x).toBeLessThan(metroX);
      expect(y).toBeGreaterThanOrEqual(frame?.y ?? 0);
      expect(y).toBeLessThanOrEqual((frame?.y ?? 0) + (frame?.height ?? 0));
    }
  });

  it('is conformal (Lambert): a small step east and the same distance north have the same length on the map', () => {
    const metro = deps.filter((d) => !['971', '972', '973', '974', '976'].includes(d.code));
    const p = fitConformal(metro, { x: 0, y: 0, width: 800, height: 800 }, true);
    for (const [lon, lat] of [
      [2.35, 48.85],
      [-4.49, 48.39],
      [7.26, 43.7],
    ]) {
      const d = 0.01;
      const [x0, y0] = p(lon, lat);
      const [xe, ye] = p(lon + d / Math.cos((lat * Math.PI) / 180), lat);
      const [xn, yn] = p(lon, lat + d);
      expect(Math.hypot(xe - x0, ye - y0) / Math.hypot(xn - x0, yn - y0)).toBeCloseTo(1, 2);
    }
    // Lambert-93's central meridian, 3° E, is a vertical line on the map.
    expect(p(3, 43)[0]).toBeCloseTo(p(3, 50)[0], 6);
    // Any other meridian converges towards the pole: 8° E leans towards 3° E going north.
    expect(p(8, 49)[0]).toBeLessThan(p(8, 43)[0]);
  });

  it('a region alone fills the frame without insets', () => {
    const idf = deps.filter((d) => ['75', '77', '78', '91', '92', '93', '94', '95'].includes(d.code));
    const l = franceLayout(idf, 760, 600);
    expect([...l.frames.keys()]).toEqual(['metro']);
    expect(depPath(idf[0], l)).toMatch(/^M[\d.]+ [\d.]+L/);
  });
});
