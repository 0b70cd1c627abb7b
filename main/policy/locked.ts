/**
 * Locked settings: a policy value always wins over a user setting.
 *
 * How: when a user's cache opens, the locked values are written over that user's stored
 * settings (`enforceLockedSettings`), so every reader (the views, the transfers' clock, the
 * exports) sees the policy's value with nothing to change in the boards; and a settings call
 * that would change a locked value is refused before it reaches its handler
 * (`lockedRefusal`), with the organisation named. The renderer sends the whole settings
 * object, locked fields included at their (policy) value, so an unchanged locked field passes.
 */
import type { LockedSettings } from '../../common/app/policy';
import { fr } from '../../common/i18n/fr';
import type { VigieStore } from '../boards';

type Flat = Record<string, number | undefined>;

/** The locked fields as `section.field` → value (only those the policy names). */
export function lockedFields(locked: LockedSettings): Map<string, number> {
  const out = new Map<string, number>();
  const add = (section: string, values: Flat | undefined) => {
    for (const [k, v] of Object.entries(values ?? {})) if (typeof v === 'number') out.set(`${section}.${k}`, v);
  };
  add('beds', locked.beds);
  add('stocks', locked.stocks);
  add('transfers', locked.transfers);
  return out;
}

/** The values a settings call sets, flattened the same way (`null` for a call that sets no lockable setting). */
export function settingsOfCall(name: string, args: unknown): Map<string, unknown> | null {
  if (typeof args !== 'object' || args === null) return null;
  const a = args as Record<string, unknown>;
  if (name === 'beds.setSettings') {
    const thresholds = (a.thresholds ?? {}) as Record<string, unknown>;
    return new Map([
      ['beds.staleAfterHours', a.staleAfterHours],
      ['beds.fewFree', thresholds.fewFree],
    ]);
  }
  if (name === 'stocks.setSettings') return new Map(Object.entries(a).map(([k, v]) => [`stocks.${k}`, v]));
  if (name === 'transfers.setSettings') return new Map(Object.entries(a).map(([k, v]) => [`transfers.${k}`, v]));
  return null;
}

/** The French refusal of a call that would change a locked value, or null when it may run. */
export function lockedRefusal(name: string, args: unknown, locked: LockedSettings, organisation: string): string | null {
  const sets = settingsOfCall(name, args);
  if (!sets) return null;
  const fixed = lockedFields(locked);
  const changed = [...sets].filter(([k, v]) => fixed.has(k) && v !== fixed.get(k)).map(([k]) => fr.policy.fields[k] ?? k);
  return changed.length ? fr.policy.locked(organisation, changed.join(', ')) : null;
}

/** Writes the locked values over the user's stored settings of this cache (nothing written when they already match). */
export function enforceLockedSettings(store: VigieStore, locked: LockedSettings): void {
  const b = store.boards;
  if (locked.beds) {
    const cur = b.beds.bedSettings();
    const next = { staleAfterHours: locked.beds.staleAfterHours ?? cur.staleAfterHours, thresholds: { fewFree: locked.beds.fewFree ?? cur.thresholds.fewFree } };
    if (next.staleAfterHours !== cur.staleAfterHours || next.thresholds.fewFree !== cur.thresholds.fewFree) b.beds.setBedSettings(next);
  }
  if (locked.stocks) {
    const cur = b.stocks.settings();
    const next = { red: locked.stocks.red ?? cur.red, orange: locked.stocks.orange ?? cur.orange };
    // A user's orange below a locked red (or the reverse) would break the order rule: the locked side pulls the other along.
    if (next.orange < next.red) {
      if (locked.stocks.orange === undefined) next.orange = next.red;
      else next.red = next.orange;
    }
    if (next.red !== cur.red || next.orange !== cur.orange) b.stocks.setSettings(next);
  }
  if (locked.transfers) {
    const cur = b.transfers.transferSettings();
    const next = { holdHours: locked.transfers.holdHours ?? cur.holdHours, unansweredAfterMinutes: locked.transfers.unansweredAfterMinutes ?? cur.unansweredAfterMinutes };
    if (next.holdHours !== cur.holdHours || next.unansweredAfterMinutes !== cur.unansweredAfterMinutes) b.transfers.setTransferSettings(next);
  }
}
