import { useEffect, useMemo, useRef } from 'react';
import { fr } from '../../../common/i18n/fr';
import { ui } from '../../../common/i18n/ui.fr';
import { isSendShortcut } from '../app/shortcuts';
import { useEventLog } from './store';
import { useSession } from '../stores/session';
import { postableInEvent } from './territories';
import { AckListPicker } from './AckListPicker';
import { MESSAGE_MAX_CHARS, MessageKind, Priority } from '../../../common/domain/eventlog/model';

/** Writes a message in the selected event; also a new consigne version or a correction. */
export function Composer() {
  const event = useEventLog((s) => s.events.find((e) => e.id === s.selectedEventId) ?? null);
  const draft = useEventLog((s) => s.draft);
  const sending = useEventLog((s) => s.sending);
  const error = useEventLog((s) => s.composerError);
  const focusRequest = useEventLog((s) => s.composerFocus);
  const updateDraft = useEventLog((s) => s.updateDraft);
  const cancelDraftLink = useEventLog((s) => s.cancelDraftLink);
  const send = useEventLog((s) => s.send);
  const postable = useSession((s) => s.session?.postable);
  const referential = useSession((s) => s.referential);
  const bodyRef = useRef<HTMLTextAreaElement>(null);

  const options = useMemo(
    () => (event && postable ? postableInEvent(postable, event.territory, referential) : []),
    [event, postable, referential],
  );

  // Keep the chosen territory among those this event accepts (a new version keeps its own).
  useEffect(() => {
    if (draft.replaces || options.length === 0) return;
    if (!options.some((o) => o.key === draft.territory)) updateDraft({ territory: options[0].key });
  }, [options, draft.territory, draft.replaces, updateDraft]);

  useEffect(() => {
    if (focusRequest > 0) bodyRef.current?.focus();
  }, [focusRequest]);

  if (!event) return null;
  const closed = event.status === 'closed';
  const locked = draft.replaces !== null;
  const territoryOptions =
    locked && !options.some((o) => o.key === draft.territory) ? [...options, { key: draft.territory, label: draft.territory }] : options;
  const disabled = closed || options.length === 0;

  async function submit() {
    if (disabled || sending) return;
    const ok = await send();
    if (ok) bodyRef.current?.focus();
  }

  return (
    <form
      className={`composer prio-${draft.priority}`}
      data-testid="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {(draft.replaces || draft.corrects || draft.fromRejected !== null) && (
        <div className="composer-context" data-testid="composer-context">
          {draft.fromRejected !== null && <span className="composer-refused">{ui.composer.fromRejected}</span>}
          {draft.replaces && <span>{ui.composer.newVersionOf(draft.replaces.excerpt)}</span>}
          {draft.corrects && <span>{ui.composer.correctionOf(draft.corrects.excerpt)}</span>}
          {(draft.replaces || draft.corrects) && (
            <button type="button" className="btn btn-small btn-ghost" onClick={cancelDraftLink}>
              {ui.composer.cancelRef}
            </button>
          )}
        </div>
      )}
      <div className="composer-row">
        <label className="field field-inline">
          <span>{ui.composer.territory}</span>
          <select
            data-testid="composer-territory"
            value={draft.territory}
            disabled={disabled || locked}
            onChange={(e) => updateDraft({ territory: e.target.value })}
          >
            {territoryOptions.map((t) => (
              <option key={t.key} value={t.key}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-inline">
          <span>{ui.composer.kind}</span>
          <select
            data-testid="composer-kind"
            value={draft.kind}
            disabled={disabled || locked}
            onChange={(e) => updateDraft({ kind: MessageKind.parse(e.target.value) })}
          >
            {MessageKind.options.map((k) => (
              <option key={k} value={k}>
                {fr.kind[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-inline">
          <span>{ui.composer.priority}</span>
          <select
            data-testid="composer-priority"
            className={`prio-select prio-${draft.priority}`}
            value={draft.priority}
            disabled={disabled}
            onChange={(e) => updateDraft({ priority: Priority.parse(e.target.value) })}
          >
            {Priority.options.map((p) => (
              <option key={p} value={p}>
                {fr.priority[p]}
              </option>
            ))}
          </select>
        </label>
        <span className="composer-chars">{ui.composer.chars(draft.body.length, MESSAGE_MAX_CHARS)}</span>
      </div>
      {draft.kind === 'consigne' && <AckListPicker disabled={disabled} />}
      <div className="composer-row composer-main">
        <textarea
          ref={bodyRef}
          data-testid="composer-body"
          aria-label={ui.composer.body}
          placeholder={closed ? ui.composer.closedEvent : ui.composer.bodyPlaceholder}
          rows={3}
          maxLength={MESSAGE_MAX_CHARS}
          value={draft.body}
          disabled={disabled}
          onChange={(e) => updateDraft({ body: e.target.value })}
          onKeyDown={(e) => {
            if (isSendShortcut(e)) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <button
          type="submit"
          className="btn btn-primary composer-send"
          data-testid="composer-send"
          title={ui.composer.sendTitle}
          disabled={disabled || sending || !draft.body.trim()}
        >
          {sending ? ui.composer.sending : ui.composer.send}
          <kbd>{ui.shortcuts.sendKey}</kbd>
        </button>
      </div>
      {closed && <p className="muted small">{ui.composer.closedEvent}</p>}
      {!closed && options.length === 0 && <p className="muted small">{ui.composer.noTerritory}</p>}
      {error && (
        <p className="form-error" role="alert" data-testid="composer-error">
          {error}
        </p>
      )}
    </form>
  );
}
