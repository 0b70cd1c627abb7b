import { useEffect, useMemo, useState } from 'react';
import { fr } from '../../../common/i18n/fr';
import { ui } from '../../../common/i18n/ui.fr';
import { debounce } from '../app/coalesce';
import { SEARCH_INPUT_ID } from '../app/useGlobalShortcuts';
import { useEventLog } from './store';
import { useSession } from '../stores/session';
import { countToAck, FILTER_TEXT_MAX, isFilterActive, toggled } from './filter';
import { filterTerritoryOptions } from './territories';
import { MessageKind, MessageLevel, Priority } from '../../../common/domain/eventlog/model';

/** Typing pauses this long before the search reaches main. */
export const SEARCH_DEBOUNCE_MS = 250;

interface ChipGroupProps<T extends string> {
  label: string;
  values: readonly T[];
  selected: readonly T[];
  text: Record<string, string>;
  onToggle: (v: T) => void;
  testid: string;
}

function ChipGroup<T extends string>({ label, values, selected, text, onToggle, testid }: ChipGroupProps<T>) {
  return (
    <div className="chip-group" role="group" aria-label={label} data-testid={testid}>
      <span className="chip-label">{label}</span>
      {values.map((v) => (
        <button
          key={v}
          type="button"
          className={`chip chip-${v}${selected.includes(v) ? ' on' : ''}`}
          aria-pressed={selected.includes(v)}
          data-value={v}
          onClick={() => onToggle(v)}
        >
          {text[v] ?? v}
        </button>
      ))}
    </div>
  );
}

export function FilterBar() {
  const filter = useEventLog((s) => s.filter);
  const setFilter = useEventLog((s) => s.setFilter);
  const resetFilter = useEventLog((s) => s.resetFilter);
  const count = useEventLog((s) => s.messages.length);
  const toAckCount = useEventLog((s) => countToAck(s.messages));
  const eventTerritory = useEventLog((s) => s.events.find((e) => e.id === s.selectedEventId)?.territory ?? 'FR');
  const session = useSession((s) => s.session);
  const referential = useSession((s) => s.referential);
  const [text, setText] = useState(filter.text);

  const pushText = useMemo(() => debounce((t: string) => useEventLog.getState().setFilter({ text: t }), SEARCH_DEBOUNCE_MS), []);
  useEffect(() => () => pushText.cancel(), [pushText]);

  // Only a cleared filter is mirrored back: echoing every applied value would eat keys typed meanwhile.
  useEffect(() => {
    if (filter.text === '') setText((t) => (t.trim() === '' ? t : pushText.pending() ? t : ''));
  }, [filter.text, pushText]);

  const territoryOptions = useMemo(
    () =>
      filterTerritoryOptions(
        session?.user.territory ?? 'FR',
        session?.postable.find((t) => t.key.startsWith('D:'))?.key ?? null,
        eventTerritory,
        referential,
        fr.territory.country,
      ),
    [session, eventTerritory, referential],
  );

  return (
    <div className="filterbar" aria-label={ui.filters.label} role="search">
      <input
        id={SEARCH_INPUT_ID}
        data-testid="filter-text"
        className="search"
        type="search"
        placeholder={ui.filters.searchPlaceholder}
        aria-label={ui.filters.search}
        maxLength={FILTER_TEXT_MAX}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          pushText(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            pushText.cancel();
            setFilter({ text });
          } else if (e.key === 'Escape' && text) {
            e.stopPropagation();
            pushText.cancel();
            setText('');
            setFilter({ text: '' });
          }
        }}
      />
      <ChipGroup
        label={ui.filters.level}
        testid="filter-level"
        values={MessageLevel.options}
        selected={filter.levels}
        text={fr.level}
        onToggle={(v) => setFilter({ levels: toggled(filter.levels, v) })}
      />
      <ChipGroup
        label={ui.filters.kind}
        testid="filter-kind"
        values={MessageKind.options}
        selected={filter.kinds}
        text={fr.kind}
        onToggle={(v) => setFilter({ kinds: toggled(filter.kinds, v) })}
      />
      <ChipGroup
        label={ui.filters.priority}
        testid="filter-priority"
        values={Priority.options}
        selected={filter.priorities}
        text={fr.priority}
        onToggle={(v) => setFilter({ priorities: toggled(filter.priorities, v) })}
      />
      <button
        type="button"
        className={`chip chip-toack${filter.toAck ? ' on' : ''}${toAckCount > 0 ? ' has-toack' : ''}`}
        data-testid="filter-toack"
        aria-pressed={filter.toAck}
        title={ui.filters.toAckTitle}
        onClick={() => setFilter({ toAck: !filter.toAck })}
      >
        {ui.filters.toAck(toAckCount)}
      </button>
      <select
        className="filter-territory"
        data-testid="filter-territory"
        aria-label={ui.filters.territory}
        value={filter.territory}
        onChange={(e) => setFilter({ territory: e.target.value })}
      >
        <option value="">{ui.filters.allTerritories}</option>
        {territoryOptions.map((t) => (
          <option key={t.key} value={t.key}>
            {t.label}
          </option>
        ))}
      </select>
      <span className="filter-count" data-testid="filter-count">
        {ui.filters.count(filter.toAck ? toAckCount : count)}
      </span>
      {isFilterActive(filter) && (
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={() => {
            pushText.cancel();
            setText('');
            resetFilter();
          }}
        >
          {ui.filters.reset}
        </button>
      )}
    </div>
  );
}
