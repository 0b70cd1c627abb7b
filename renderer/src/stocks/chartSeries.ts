/**
 * The stock chart's series: from the history of one or several establishments (their counts
 * of one molecule's presentations), the units on hand and the daily use per Paris day, and
 * the projected stock-out (`forecastStockOut`, flat at the observed use: occupancy is not on
 * this chart). Pure.
 *
 * A day's figure for a presentation is its latest count up to that day's end (a count holds
 * until the next one); an establishment's figure sums its presentations, a région's or
 * France's sums its establishments. Days before a presentation's first count leave it out.
 */
import { averageDailyUse } from '../../../common/domain/stocks/cover';
import { addDays, forecastStockOut, type StockOutForecast } from '../../../common/domain/stocks/forecast';
import type { StockLine } from '../../../common/domain/stocks/model';

export interface StockSeries {
  days: string[];
  onHand: Array<number | null>;
  daily: Array<number | null>;
  forecast: StockOutForecast | null;
}

const PARIS_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' });
export const parisDayOf = (iso: string): string => PARIS_DAY.format(new Date(iso));

/** Series over `from`…`to` (Paris days, inclusive) from every line given. */
export function stockSeries(lines: readonly StockLine[], from: string, to: string): StockSeries {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  // Per presentation of an establishment, its counts in time order.
  const byKey = new Map<string, StockLine[]>();
  for (const l of lines) byKey.set(`${l.finess}:${l.cip13}`, [...(byKey.get(`${l.finess}:${l.cip13}`) ?? []), l]);
  const onHand: Array<number | null> = days.map(() => null);
  const daily: Array<number | null> = days.map(() => null);
  for (const list of byKey.values()) {
    list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    let i = 0;
    let held: StockLine | null = null;
    days.forEach((day, k) => {
      while (i < list.length && parisDayOf(list[i].at) <= day) held = list[i++];
      if (!held) return;
      onHand[k] = (onHand[k] ?? 0) + held.onHand;
      const use = averageDailyUse(held);
      if (use !== null) daily[k] = (daily[k] ?? 0) + use;
    });
  }
  const last = onHand.length - 1;
  const forecast =
    last >= 0 && onHand[last] !== null
      ? forecastStockOut(
          days[last],
          onHand[last] as number,
          days.map((day, k) => ({ day, used: daily[k] })),
          [],
        )
      : null;
  return { days, onHand, daily, forecast };
}
