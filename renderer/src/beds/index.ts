/** The bed board's part of the renderer: its page, mounted only while shown (it loads the units then), and its store. */
import { defineRendererBoard } from '../board';
import { BedsBoard } from './BedsBoard';
import { useBeds } from './store';

export const bedsRenderer = defineRendererBoard({
  id: 'beds',
  View: BedsBoard,
  keepMounted: false,
  store: useBeds,
});
