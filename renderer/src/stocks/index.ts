/**
 * The stocks board's part of the renderer: its page (mounted while shown) and its store,
 * whose board view loads after the boards before it in the registry (the grid then opens on
 * data already there; `stocks.board` is asked again on every change of its rows).
 */
import { defineRendererBoard } from '../board';
import { StocksBoard } from './StocksBoard';
import { useStocks } from './store';

export const stocksRenderer = defineRendererBoard({
  id: 'stocks',
  View: StocksBoard,
  keepMounted: false,
  store: useStocks,
  // A board the user already opened (its read on its way or done) is not read a second time.
  firstLoad: () => useStocks.getState().ensureLoaded(),
});
