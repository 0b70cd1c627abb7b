import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { useEventLog } from './store';
import { useSession } from '../stores/session';
import { TITLE_MAX_CHARS } from '../../../common/domain/eventlog/model';

/** Opens a new crisis event (national, ARS and SAMU roles). */
export function OpenEventForm({ onDone }: { onDone: () => void }) {
  const postable = useSession((s) => s.session?.postable ?? []);
  const openEvent = useEventLog((s) => s.openEvent);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [territory, setTerritory] = useState(postable[0]?.key ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleRef = useRef<HTMLInputElement>(null);

  useEffect(() => titleRef.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const err = await openEvent({ title: title.trim(), description: description.trim(), territory });
    setBusy(false);
    if (err) setError(err);
    else onDone();
  }

  return (
    <form
      className="event-form"
      onSubmit={submit}
      data-testid="event-form"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onDone();
        }
      }}
    >
      <h3>{ui.events.formTitle}</h3>
      <label className="field">
        <span>{ui.events.fieldTitle}</span>
        <input
          ref={titleRef}
          data-testid="event-title"
          value={title}
          maxLength={TITLE_MAX_CHARS}
          onChange={(e) => setTitle(e.target.value)}
          required
        />
      </label>
      <label className="field">
        <span>{ui.events.fieldDescription}</span>
        <textarea data-testid="event-description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
      </label>
      <label className="field">
        <span>{ui.events.fieldTerritory}</span>
        <select data-testid="event-territory" value={territory} onChange={(e) => setTerritory(e.target.value)}>
          {postable.map((t) => (
            <option key={t.key} value={t.key}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary btn-small" data-testid="event-create" disabled={busy || !title.trim()}>
          {ui.events.create}
        </button>
        <button type="button" className="btn btn-small" onClick={onDone}>
          {ui.events.cancel}
        </button>
      </div>
    </form>
  );
}
