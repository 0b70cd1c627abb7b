/**
 * The renderer's registry of boards: one line per board that has landed, in the order of
 * `common/boards.ts` (a test checks it). The shell's pages, the stores' wiring to main's
 * pushes and the set of ready boards are built from it; a board of the navigation that is
 * not listed here shows an "à venir" page.
 */
import { bedsRenderer } from './beds';
import { eventLogRenderer } from './eventlog';
import { stocksRenderer } from './stocks';
import { transfersRenderer } from './transfers';

export const rendererBoards = [eventLogRenderer, bedsRenderer, transfersRenderer, stocksRenderer] as const;
