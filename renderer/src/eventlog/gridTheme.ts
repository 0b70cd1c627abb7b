/**
 * The AG Grid theme of the main courante: Quartz, dark, dense, high contrast. The colours
 * mirror the CSS custom properties of `styles.css` (AG Grid's Theming API takes values, not
 * variables, for some params).
 */
import { themeQuartz } from 'ag-grid-community';

export const messageGridTheme = themeQuartz.withParams({
  browserColorScheme: 'dark',
  fontFamily: ['"Segoe UI"', '"Liberation Sans"', '"DejaVu Sans"', 'Arial', 'sans-serif'],
  fontSize: 13,
  headerFontSize: 12,
  headerFontWeight: 600,
  backgroundColor: '#0f141b',
  foregroundColor: '#e8eef5',
  textColor: '#e8eef5',
  subtleTextColor: '#9fb0c2',
  chromeBackgroundColor: '#161d26',
  headerBackgroundColor: '#19212c',
  headerTextColor: '#b9c7d6',
  oddRowBackgroundColor: '#121922',
  borderColor: '#2a3542',
  rowBorder: { color: '#1e2732' },
  columnBorder: false,
  headerColumnBorder: { color: '#2a3542' },
  accentColor: '#4da3ff',
  selectedRowBackgroundColor: 'rgba(77, 163, 255, 0.24)',
  rowHoverColor: 'rgba(255, 255, 255, 0.05)',
  rowHeight: 30,
  headerHeight: 32,
  spacing: 5,
  cellHorizontalPadding: 8,
  wrapperBorder: false,
  wrapperBorderRadius: 0,
  borderRadius: 2,
  iconColor: '#9fb0c2',
});
