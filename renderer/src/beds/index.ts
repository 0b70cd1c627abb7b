/**
 * The bed board's part of the renderer: its page, mounted only while shown, and its store,
 * whose units load once the main courante has loaded (a national picture is ~18,000 units:
 * the grid and the dashboard then open on data already there, and stay current through
 * `beds.changes` as changes arrive).
 */
import { defineRendererBoard } from '../board';
import { BedsBoard } from './BedsBoard';
import { useBeds } from './store';

export const bedsRenderer = defineRendererBoard({
  id: 'beds',
  View: BedsBoard,
  keepMounted: false,
  store: useBeds,
  firstLoad: () => useBeds.getState().load(),
});
