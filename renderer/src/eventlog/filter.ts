import type { MessageFilter } from '../../../common/domain/eventlog/api';
import type { MessageKind, MessageLevel, Priority } from '../../../common/domain/eventlog/model';
/**
 * The message filters as the user sets them, and their translation into the `messages.list`
 * filter (the filtering itself happens in main). Pure.
 */

export interface FilterState {
  levels: MessageLevel[];
  kinds: MessageKind[];
  priorities: Priority[];
  /** A territory key, or '' for all. */
  territory: string;
  text: string;
}

export const emptyFilter: FilterState = { levels: [], kinds: [], priorities: [], territory: '', text: '' };

/** Longest free text the contract accepts. */
export const FILTER_TEXT_MAX = 200;

/** The contract's filter, without empty criteria; `undefined` when nothing filters. */
export function toMessageFilter(f: FilterState): MessageFilter | undefined {
  const out: MessageFilter = {};
  if (f.levels.length) out.levels = [...f.levels];
  if (f.kinds.length) out.kinds = [...f.kinds];
  if (f.priorities.length) out.priorities = [...f.priorities];
  if (f.territory) out.territory = f.territory;
  const text = f.text.trim().slice(0, FILTER_TEXT_MAX);
  if (text) out.text = text;
  return Object.keys(out).length ? out : undefined;
}

export function isFilterActive(f: FilterState): boolean {
  return toMessageFilter(f) !== undefined;
}

/** Adds `value` to the list, or removes it when present (toggle chips). */
export function toggled<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
