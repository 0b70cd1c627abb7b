import { expect, it } from 'vitest';
import { normaliseSearch } from './rows';

const decomposed = (t: string) => t.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

it('the search text folds case and diacritics exactly as Unicode decomposition does, for every Latin letter and beyond', () => {
  const samples = ['Évacuation', 'Œuvre ÇA ñ ü ß ø Ł Đ', 'Point de situation n° 12 : lits disponibles en baisse, renforts demandés.', 'Ærø', 'ﬁ café 日本', 'Ĳ ǅ ǈ İstanbul'];
  for (let c = 0; c < 0x250; c++) samples.push(`${String.fromCharCode(c)}x`);
  for (const t of samples) expect(normaliseSearch(t)).toBe(decomposed(t));
  expect(normaliseSearch('ÉVACUATION de l’hôpital')).toBe('evacuation de l’hopital');
});
