import { describe, expect, it } from 'vitest';
// The file the renderer bundles (public/geo), read as text the way Vite serves it.
import raw from '../../public/geo/departements.json?raw';
import { depAnchor, depPath, fitProjection, franceLayout, simplifyLine, simplifyRing, type DepFeature, type Position } from './geo';

const bundled = JSON.parse(raw) as { departements: DepFeature[] };
const deps = bundled.departements;

describe('simplification', () => {
  it('drops points within the tolerance and keeps the ends and the corners', () => {
    const line: Position[] = [
      [0, 0],
      [1, 0.001],
      [2, 0],
      [2, 2],
    ];
    expect(simplifyLine(line, 0.01)).toEqual([
      [0, 0],
      [2, 0],
      [2, 2],
    ]);
  });

  it('drops an islet under the minimum area and keeps a ring closed', () => {
    const square: Position[] = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ];
    expect(simplifyRing(square, 0.01, 2)).toBeNull();
    const kept = simplifyRing(square, 0.01, 0.5);
    expect(kept?.[0]).toEqual(kept?.at(-1));
    expect(kept).toHaveLength(5);
  });
});

describe('the bundled outlines', () => {
  it('hold the 101 départements, Corsica and the overseas ones included', () => {
    expect(deps).toHaveLength(101);
    for (const code of ['01', '2A', '2B', '75', '971', '972', '973', '974', '976']) expect(deps.some((d) => d.code === code)).toBe(true);
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

  it('keeps the aspect ratio with the cos(latitude) correction', () => {
    const p = fitProjection({ minLon: 0, maxLon: 2, minLat: 59, maxLat: 61 }, { x: 0, y: 0, width: 100, height: 100 });
    const [x0] = p(0, 60);
    const [x1] = p(2, 60);
    const [, yTop] = p(0, 61);
    const [, yBottom] = p(0, 59);
    // At 60° a degree of longitude is half a degree of latitude.
    expect((x1 - x0) / (yBottom - yTop)).toBeCloseTo(0.5, 2);
  });

  it('a region alone fills the frame without insets', () => {
    const idf = deps.filter((d) => ['75', '77', '78', '91', '92', '93', '94', '95'].includes(d.code));
    const l = franceLayout(idf, 760, 600);
    expect([...l.frames.keys()]).toEqual(['metro']);
    expect(depPath(idf[0], l)).toMatch(/^M[\d.]+ [\d.]+L/);
  });
});
