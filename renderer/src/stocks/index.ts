/** The stocks board's part of the renderer: its page (mounted while shown) and its store. */
import { defineRendererBoard } from '../board';
import { StocksBoard } from './StocksBoard';
import { useStocks } from './store';

export const stocksRenderer = defineRendererBoard({
  id: 'stocks',
  View: StocksBoard,
  keepMounted: false,
  store: useStocks,
});
