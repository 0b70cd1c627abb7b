import type {
  CellFocusedEvent,
  ColDef,
  GetRowIdParams,
  GridApi,
  IRowNode,
  RowClassRules,
  SelectionChangedEvent,
  SuppressMouseEventHandlingParams,
} from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useEffect, useMemo, useRef, type CSSProperties } from 'react';
import { fr } from '../../../common/i18n/fr';
import { ui } from '../../../common/i18n/ui.fr';
import { useEventLog, type MessagesDelta } from './store';
import { awaitsMyAck } from './filter';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { KindCell, PriorityCell, StatusCell } from './gridCells';
import { authorLine, formatGridTime, timeValue } from './format';
import { COLUMN_WIDTH, OPTIONAL_COLUMNS, optionalColumnsFor } from './gridLayout';
import { messageGridTheme } from './gridTheme';
import type { MessageView } from '../../../common/domain/eventlog/api';

const PRIORITY_RANK: Record<MessageView['priority'], number> = { info: 0, important: 1, urgent: 2 };

/** The mark of an unopened urgent message, drawn by eventlog.css (`content: var(--unread-label)`). */
const UNREAD_LABEL_STYLE = { '--unread-label': JSON.stringify(ui.urgent.unread) } as CSSProperties;

const getRowId = (p: GetRowIdParams<MessageView>) => p.data.id;

const suppressOnLinks = (p: SuppressMouseEventHandlingParams<MessageView>): boolean =>
  p.event.target instanceof Element && p.event.target.closest('.badge-link') !== null;

/**
 * Shows the store's rows in the grid. When the store's last merge led to exactly these rows
 * from the ones the grid holds, only its changes go in (one transaction); otherwise (a new
 * event or filter, a full answer) the rows are set whole.
 */
function showMessages(api: GridApi<MessageView>, shown: MessageView[] | null, messages: MessageView[], delta: MessagesDelta | null): void {
  if (shown !== null && delta !== null && !delta.full && delta.messages === messages && delta.from === shown) {
    api.applyTransaction({ add: delta.add, update: delta.update, remove: delta.remove });
    return;
  }
  api.setGridOption('rowData', messages);
}

/** The messages of the selected event, newest first; virtualised, so 50,000 rows stay smooth. */
export function MessageGrid() {
  const messages = useEventLog((s) => s.messages);
  const delta = useEventLog((s) => s.messagesDelta);
  const loading = useEventLog((s) => s.messagesLoading);
  const error = useEventLog((s) => s.messagesError);
  const selectedId = useEventLog((s) => s.selectedMessageId);
  const selectMessage = useEventLog((s) => s.selectMessage);
  const referential = useSession((s) => s.referential);
  const apiRef = useRef<GridApi<MessageView> | null>(null);
  /** The rows the grid holds (null before the grid is ready). */
  const shownRef = useRef<MessageView[] | null>(null);
  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  // « À accuser » filters the rows main sent, in the grid (a live acknowledgement drops its row).
  const toAck = useEventLog((s) => s.filter.toAck);
  const toAckRef = useRef(toAck);
  toAckRef.current = toAck;
  useEffect(() => {
    const api = apiRef.current;
    if (api && !api.isDestroyed()) api.onFilterChanged();
  }, [toAck]);
  // Urgent messages not yet opened stay marked (kept across reloads, see stores/ui.ts).
  const unread = useUi((s) => s.urgent);
  const unreadRef = useRef(new Set<string>());
  useEffect(() => {
    unreadRef.current = new Set(unread.map((n) => n.id));
    const api = apiRef.current;
    if (api && !api.isDestroyed()) api.redrawRows();
  }, [unread]);
  const rowClassRules = useMemo<RowClassRules<MessageView>>(
    () => ({
      'row-urgent': (p) => p.data?.priority === 'urgent',
      'row-important': (p) => p.data?.priority === 'important',
      'row-superseded': (p) => Boolean(p.data?.replacedBy),
      'row-pending': (p) => Boolean(p.data?.pending),
      'row-unread': (p) => (p.data ? unreadRef.current.has(p.data.id) : false),
    }),
    [],
  );
  const isExternalFilterPresent = useCallback(() => toAckRef.current, []);
  const doesExternalFilterPass = useCallback((node: IRowNode<MessageView>) => (node.data ? awaitsMyAck(node.data) : false), []);

  // Store → grid rows: live changes as transactions (a changed message in place, a new one
  // sorted in, one no longer matching the filter removed), anything else as new row data.
  // Runs before the selection effect below, so a message selected with its arrival is found.
  useEffect(() => {
    const api = apiRef.current;
    if (!api || api.isDestroyed() || shownRef.current === messages) return;
    showMessages(api, shownRef.current, messages, delta);
    shownRef.current = messages;
  }, [messages, delta]);

  const columnDefs = useMemo<ColDef<MessageView>[]>(
    () => [
      {
        colId: 'at',
        headerName: ui.grid.time,
        field: 'at',
        valueFormatter: (p) => formatGridTime(p.value),
        comparator: (a: string, b: string) => timeValue(a) - timeValue(b),
        sort: 'desc',
        width: COLUMN_WIDTH.at,
        cellClass: 'cell-time',
      },
      {
        colId: 'priority',
        headerName: ui.grid.priority,
        field: 'priority',
        cellRenderer: PriorityCell,
        comparator: (a: MessageView['priority'], b: MessageView['priority']) => PRIORITY_RANK[a] - PRIORITY_RANK[b],
        width: COLUMN_WIDTH.priority,
      },
      { colId: 'kind', headerName: ui.grid.kind, field: 'kind', cellRenderer: KindCell, width: COLUMN_WIDTH.kind },
      {
        colId: 'author',
        headerName: ui.grid.author,
        // The post first: a narrow cell still says who speaks (« SAMU 75 · Dr Marc Dubois »).
        valueGetter: (p) => (p.data ? authorLine(p.data, referential) : ''),
        width: COLUMN_WIDTH.author,
        // A long post (an establishment, a field post) wraps rather than losing its end.
        wrapText: true,
        autoHeight: true,
        cellClass: 'cell-author',
        tooltipValueGetter: (p) => (p.data ? authorLine(p.data, referential) : ''),
      },
      {
        colId: 'body',
        headerName: ui.grid.body,
        field: 'body',
        flex: 1,
        minWidth: COLUMN_WIDTH.body,
        cellClass: 'cell-body',
        // The text wraps and the row grows to it (up to a few lines, see eventlog.css): a message reads whole.
        wrapText: true,
        autoHeight: true,
      },
      { colId: 'territory', headerName: ui.grid.territory, field: 'territoryLabel', width: COLUMN_WIDTH.territory, tooltipField: 'territoryLabel' },
      { colId: 'level', headerName: ui.grid.level, field: 'level', valueFormatter: (p) => fr.level[p.value] ?? p.value, width: COLUMN_WIDTH.level },
      {
        colId: 'status',
        headerName: ui.grid.status,
        cellRenderer: StatusCell,
        // A click on the "remplacée" link selects the new version; the grid must not also select this row.
        cellRendererParams: { suppressMouseEventHandling: suppressOnLinks },
        width: COLUMN_WIDTH.status,
        sortable: false,
      },
    ],
    [referential],
  );

  // Width → columns: the text always shows; the optional columns show while they fit.
  const fitColumns = useCallback((api: GridApi<MessageView>, width: number) => {
    if (width <= 0) return; // hidden (another board shows): keep the columns as they are
    const shown = optionalColumnsFor(width);
    const show = OPTIONAL_COLUMNS.filter((c) => shown.has(c));
    const hide = OPTIONAL_COLUMNS.filter((c) => !shown.has(c));
    if (show.length) api.setColumnsVisible(show, true);
    if (hide.length) api.setColumnsVisible(hide, false);
  }, []);

  const defaultColDef = useMemo<ColDef<MessageView>>(() => ({ resizable: true, sortable: true, suppressHeaderMenuButton: true }), []);
  const localeText = useMemo(() => ({ noRowsToShow: ui.grid.noRows, loadingOoo: ui.grid.loading }), []);

  // Store → grid: a selection made elsewhere (a link, an announcement) shows in the grid.
  useEffect(() => {
    const api = apiRef.current;
    if (!api) return;
    if (!selectedId) {
      if (api.getSelectedRows().length) api.deselectAll();
      return;
    }
    const node = api.getRowNode(selectedId);
    if (node && !node.isSelected()) {
      node.setSelected(true, true);
      api.ensureNodeVisible(node, 'middle');
    }
  }, [selectedId, messages]);

  const onSelectionChanged = useCallback(
    (e: SelectionChangedEvent<MessageView>) => {
      const row = e.api.getSelectedRows()[0];
      if (row) selectMessage(row.id);
    },
    [selectMessage],
  );

  // Keyboard: the detail pane follows the focused row.
  const onCellFocused = useCallback((e: CellFocusedEvent<MessageView>) => {
    if (e.rowIndex === null || e.rowIndex === undefined || e.rowPinned) return;
    const node = e.api.getDisplayedRowAtIndex(e.rowIndex);
    if (node && !node.isSelected()) node.setSelected(true, true);
  }, []);

  return (
    <div className="grid-wrap" role="region" data-testid="message-grid" aria-label={ui.grid.label} style={UNREAD_LABEL_STYLE}>
      {error && (
        <p className="form-error grid-error" role="alert">
          {error}
        </p>
      )}
      <AgGridReact<MessageView>
        theme={messageGridTheme}
        columnDefs={columnDefs}
        defaultColDef={defaultColDef}
        getRowId={getRowId}
        rowClassRules={rowClassRules}
        rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
        onSelectionChanged={onSelectionChanged}
        onCellFocused={onCellFocused}
        isExternalFilterPresent={isExternalFilterPresent}
        doesExternalFilterPass={doesExternalFilterPass}
        onGridSizeChanged={(e) => fitColumns(e.api, e.clientWidth)}
        onGridReady={(e) => {
          apiRef.current = e.api;
          e.api.setGridOption('rowData', messagesRef.current);
          shownRef.current = messagesRef.current;
        }}
        loading={loading && messages.length === 0}
        localeText={localeText}
        enableCellTextSelection
        animateRows={false}
        suppressDragLeaveHidesColumns
      />
    </div>
  );
}
