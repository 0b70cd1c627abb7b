/**
 * When something is first shown in a benchmark's page, read on the page's own clock (the beds
 * and stocks benchmarks: a board's grid after a click, the event log after login).
 */
import type { Page } from 'playwright-core';

/**
 * In the page, from its first script on (`SHOWN_WATCH`): `window.__vigieShownAt(selector)` resolves with the
 * page's clock (`performance.now()`) at the first animation frame where `selector` matches,
 * watched by a MutationObserver. The figures are read this way, not with Playwright's
 * `waitFor`, whose retries come every 500 ms once ~270 ms have passed: a grid shown at 300 ms
 * was measured at ~770 ms (the two levels of earlier sessions' figures). Plain JavaScript:
 * this file is typed without the DOM's names.
 */
export const SHOWN_WATCH = `
window.__vigieShownAt = (() => {
  const found = new Map();
  return (selector) => {
    let p = found.get(selector);
    if (!p) {
      p = new Promise((resolve) => {
        const seen = () => {
          if (!document.querySelector(selector)) return false;
          requestAnimationFrame(() => resolve(performance.now()));
          return true;
        };
        if (seen()) return;
        const observer = new MutationObserver(() => { if (seen()) observer.disconnect(); });
        observer.observe(document, { childList: true, subtree: true, attributes: true });
      });
      found.set(selector, p);
    }
    return p;
  };
})();`;

/** The page's clock now. */
export const pageNow = (page: Page): Promise<number> => page.evaluate('performance.now()');

/** The page's clock when `selector` was first shown (see `SHOWN_WATCH`); fails after 60 s. */
export async function shownAt(page: Page, selector: string): Promise<number> {
  const sel = JSON.stringify(selector);
  return page.evaluate(
    `Promise.race([window.__vigieShownAt(${sel}), new Promise((_, reject) => setTimeout(() => reject(new Error(${sel} + ' not shown within 60 s')), 60000))])`,
  );
}

