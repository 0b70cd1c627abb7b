/**
 * A board's part of the renderer, as the shell sees it: its id (the navigation tab and Alt+n
 * shortcut it answers to), its page, whether that page stays mounted while another board
 * shows, and how the shell drives its store (data pushed by main, sign-out, first load). One
 * per board, in `renderer/src/<board>/index.ts`, listed once in `renderer/src/boards.ts`.
 */
import type { ComponentType } from 'react';
import type { BoardId } from './app/shortcuts';
import type { ConsoleEvents } from '../../common/api';

/** The entities a `data.changed` push names. */
export type ChangedEntities = ConsoleEvents['data.changed']['entities'];

/** What the shell calls on a board's store. */
export interface BoardStoreHooks {
  /** Main changed these entities: re-read what the board shows of them. */
  onDataChanged(entities: ChangedEntities): void;
  /** The user's session is over: forget what they saw. */
  reset(): void;
}

export interface RendererBoard<Id extends BoardId = BoardId> {
  id: Id;
  /** The board's page. */
  View: ComponentType;
  /**
   * True: the page stays mounted (hidden) while another board shows, so that it keeps its
   * scroll, selection and grid state. False: it mounts when shown and unmounts when left.
   */
  keepMounted: boolean;
  /** The board's store (a zustand store: `getState()` gives its current hooks). */
  store: { getState(): BoardStoreHooks };
  /** Loads the board's first data as soon as a user is signed in (otherwise its page loads what it needs when it mounts). */
  firstLoad?(): Promise<void>;
}

export function defineRendererBoard<Id extends BoardId>(def: RendererBoard<Id>): RendererBoard<Id> {
  return def;
}
