/**
 * Helpers for the bed board's end-to-end test: reading figures off the tension dashboard
 * the way a person reads them, and the arithmetic that picks a report which must turn a
 * cell green or red whatever the other units of the département hold.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export interface CellFigures {
  available: number;
  staffed: number;
  /** Units inside the cell. */
  units: number;
}

/** The figures a dashboard cell shows ("37 / 214"), or zeros for "—" (no unit). */
export async function cellFigures(cell: Locator): Promise<CellFigures> {
  await expect(cell).toBeVisible();
  if ((await cell.getAttribute('data-tension')) === 'none' && (await cell.innerText()).trim() === '—') return { available: 0, staffed: 0, units: 0 };
  const available = Number((await cell.locator('.dash-value').innerText()).trim());
  const staffed = Number((await cell.locator('.dash-sub').innerText()).replace('/', '').trim());
  return { available, staffed, units: Number(await cell.getAttribute('data-units')) };
}

/**
 * The size X of a unit reported installed = staffed = available = X such that every total
 * holding it (`others`: what those totals hold without it) is green: more free beds than
 * `fewFree` per unit, the default "few free" threshold of critical care.
 */
export function swingSize(others: CellFigures[], fewFree = 2, min = 10): number {
  let x = min;
  for (const o of others) x = Math.max(x, fewFree * (o.units + 1) - o.available + 1);
  return x;
}

/** Opens the bed board (Alt+3) and one of its tabs. */
export async function openBeds(page: Page, tab: 'grid' | 'dashboard' | 'map' | 'form' | 'bulletin'): Promise<void> {
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('nav-beds')).toHaveAttribute('aria-current', 'page');
  await page.getByTestId(`beds-tab-${tab}`).click();
  await expect(page.getByTestId(`beds-tab-${tab}`)).toHaveAttribute('aria-selected', 'true');
}
