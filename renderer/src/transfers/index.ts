/** The transfers board's part of the renderer: its page (mounted while shown) and its store. */
import { defineRendererBoard } from '../board';
import { TransfersBoard } from './TransfersBoard';
import { useTransfers } from './store';

export const transfersRenderer = defineRendererBoard({
  id: 'transfers',
  View: TransfersBoard,
  keepMounted: false,
  store: useTransfers,
});
