import type { MessageFilter, MessageView } from '../../../common/domain/eventlog/api';
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
  /**
   * Only the messages awaiting my post's acknowledgement (« à accuser »). Applied by the grid
   * over the rows main sent (main knows no such filter): it never reaches `toMessageFilter`.
   */
  toAck: boolean;
}

export const emptyFilter: FilterState = { levels: [], kinds: [], priorities: [], territory: '', text: '', toAck: false };

/**
 * A message my post is expected to acknowledge and has not (nor has anyone of my post):
 * a live consigne addressed to us, not ours, not acknowledged, not replaced (`canAck`).
 */
export function awaitsMyAck(m: Pick<MessageView, 'canAck' | 'ackedByMe' | 'replacedBy'>): boolean {
  return m.canAck && !m.ackedByMe && m.replacedBy === null;
}

/** How many of `messages` await my post's acknowledgement. */
export function countToAck(messages: readonly MessageView[]): number {
  let n = 0;
  for (const m of messages) if (awaitsMyAck(m)) n++;
  return n;
}

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
  return f.toAck || toMessageFilter(f) !== undefined;
}

/** Adds `value` to the list, or removes it when present (toggle chips). */
export function toggled<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
