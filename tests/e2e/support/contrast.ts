/**
 * WCAG 2.x contrast, measured on what Chromium really paints: an element's computed text
 * colour against its effective background (its own background colour composited over its
 * ancestors', alpha included). Backgrounds made of images or gradients are not handled: the
 * elements measured here have plain colours.
 */
import type { Locator } from '@playwright/test';

export type Rgba = [number, number, number, number];

/** Parses Chromium's computed colour syntax: `rgb(r, g, b)` or `rgba(r, g, b, a)`. */
export function parseColour(css: string): Rgba {
  const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)$/.exec(css.trim());
  if (!m) throw new Error(`unsupported colour ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
}

/** `top` painted over the opaque `bottom`. */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
}

/** WCAG relative luminance of an sRGB colour (0–255 channels). */
export function relativeLuminance([r, g, b]: Rgba): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio, 1 to 21. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

export interface MeasuredContrast {
  text: Rgba;
  background: Rgba;
  ratio: number;
  fontSizePx: number;
}

/** The contrast of an element's text against what is painted behind it. */
export async function measureContrast(el: Locator): Promise<MeasuredContrast> {
  const raw = await el.evaluate((node) => {
    const layers: string[] = [];
    for (let e: Element | null = node; e; e = e.parentElement) layers.push(getComputedStyle(e).backgroundColor);
    const style = getComputedStyle(node);
    return { color: style.color, layers, fontSize: style.fontSize };
  });
  // The page itself is opaque white below everything, as in a browser.
  let background: Rgba = [255, 255, 255, 1];
  for (const layer of [...raw.layers].reverse()) background = over(parseColour(layer), background);
  const text = over(parseColour(raw.color), background);
  return { text, background, ratio: contrastRatio(text, background), fontSizePx: Number.parseFloat(raw.fontSize) };
}
