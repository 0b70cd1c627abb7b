/** The bed grid's theme: the main courante's dark, dense Quartz, with a stronger cell-change flash. */
import { messageGridTheme } from '../eventlog/gridTheme';

export const bedGridTheme = messageGridTheme.withParams({
  rowHeight: 28,
  valueChangeValueHighlightBackgroundColor: 'rgba(77, 163, 255, 0.55)',
  valueChangeDeltaUpColor: '#3fd07a',
  valueChangeDeltaDownColor: '#ff5a5a',
});
