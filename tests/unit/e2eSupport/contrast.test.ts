import { describe, expect, it } from 'vitest';
import { contrastRatio, over, parseColour } from '../../e2e/support/contrast';

describe('WCAG contrast used by the end-to-end checks', () => {
  it('gives the reference ratios: white on black 21:1, white on the old urgent red 3.3:1', () => {
    expect(contrastRatio([255, 255, 255, 1], [0, 0, 0, 1])).toBeCloseTo(21, 5);
    expect(contrastRatio([255, 255, 255, 1], parseColour('rgb(255, 77, 77)'))).toBeCloseTo(3.3, 1);
    expect(contrastRatio([255, 255, 255, 1], parseColour('rgb(198, 40, 40)'))).toBeGreaterThan(4.5);
  });

  it('composites a translucent colour over the one below', () => {
    expect(over(parseColour('rgba(255, 255, 255, 0.5)'), [0, 0, 0, 1])).toEqual([127.5, 127.5, 127.5, 1]);
    expect(parseColour('rgba(1, 2, 3, 0)')).toEqual([1, 2, 3, 0]);
  });
});
