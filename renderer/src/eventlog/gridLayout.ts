/**
 * Which columns of the message grid fit the width it has. The message text always shows and
 * takes the free width; the time, the priority and the state (pending, acknowledgements,
 * written offline) always show too; the others show while they fit, in the order of
 * `OPTIONAL_COLUMNS` (the author's post first: who speaks matters more than who is
 * addressed). What a hidden column says is in the detail pane. Pure.
 */

export type MessageColumn = 'at' | 'priority' | 'kind' | 'author' | 'body' | 'territory' | 'level' | 'status';

/** Widths in CSS pixels (the body's is its minimum: it takes what is left). */
export const COLUMN_WIDTH: Readonly<Record<MessageColumn, number>> = {
  at: 112,
  priority: 90,
  kind: 100,
  author: 170,
  body: 260,
  territory: 150,
  level: 82,
  status: 170,
};

export const ALWAYS_SHOWN: readonly MessageColumn[] = ['at', 'priority', 'body', 'status'];
/** Shown while they fit, first kept first. */
export const OPTIONAL_COLUMNS: readonly MessageColumn[] = ['author', 'kind', 'territory', 'level'];

/** Room the grid's vertical scroll bar may take. */
const SCROLLBAR_ALLOWANCE = 16;

/** The optional columns shown in a grid `width` pixels wide. */
export function optionalColumnsFor(width: number): Set<MessageColumn> {
  let free = width - SCROLLBAR_ALLOWANCE - ALWAYS_SHOWN.reduce((sum, c) => sum + COLUMN_WIDTH[c], 0);
  const shown = new Set<MessageColumn>();
  for (const c of OPTIONAL_COLUMNS) {
    if (COLUMN_WIDTH[c] > free) break;
    shown.add(c);
    free -= COLUMN_WIDTH[c];
  }
  return shown;
}
