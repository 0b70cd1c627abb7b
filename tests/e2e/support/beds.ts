/**
 * Helpers for the bed board's end-to-end test: reading figures off the tension dashboard
 * the way a person reads them, and the arithmetic that picks a report which must turn a
 * cell green or red whatever the other units of the département hold.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export interface CellFigures {
  available: number;
  staffed: number;
}

/** The figures a dashboard cell shows ("37 / 214"), or zeros for "—" (no unit). */
export async function cellFigures(cell: Locator): Promise<CellFigures> {
  await expect(cell).toBeVisible();
  if ((await cell.getAttribute('data-tension')) === 'none' && (await cell.innerText()).trim() === '—') return { available: 0, staffed: 0 };
  const available = Number((await cell.locator('.dash-value').innerText()).trim());
  const staffed = Number((await cell.locator('.dash-sub').innerText()).replace('/', '').trim());
  return { available, staffed };
}

/**
 * The size X of a unit reported installed = staffed = X such that, with the other units of
 * the same total (`others`), the total is green when the unit reports X available
 * (occupancy under 50 %) and red when it reports 0 available (occupancy from 80 %).
 */
export function swingSize(others: CellFigures[], min = 10): number {
  let x = min;
  for (const o of others) {
    x = Math.max(x, o.staffed - 2 * o.available + 1, 5 * o.available - o.staffed);
  }
  return x;
}

/** Opens the bed board (Alt+3) and one of its tabs. */
export async function openBeds(page: Page, tab: 'grid' | 'dashboard' | 'map' | 'form' | 'bulletin'): Promise<void> {
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('nav-beds')).toHaveAttribute('aria-current', 'page');
  await page.getByTestId(`beds-tab-${tab}`).click();
  await expect(page.getByTestId(`beds-tab-${tab}`)).toHaveAttribute('aria-selected', 'true');
}
