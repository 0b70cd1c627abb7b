import { ui } from '../../../common/i18n/ui.fr';
import { rendererBoards } from '../boards';
import { BOARDS, type BoardId } from './shortcuts';

export const boardLabel: Record<BoardId, string> = {
  eventlog: ui.boards.eventlog,
  transfers: ui.boards.transfers,
  beds: ui.boards.beds,
  stocks: ui.boards.stocks,
};

/** Boards whose feature has landed (those of the renderer's registry); the others show an "à venir" page. */
export const READY_BOARDS: ReadonlySet<BoardId> = new Set<BoardId>(rendererBoards.map((b) => b.id));

export { BOARDS };
