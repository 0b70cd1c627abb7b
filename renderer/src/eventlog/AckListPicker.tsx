import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { call } from '../app/call';
import { useSession } from '../stores/session';
import { useEventLog } from './store';
import { effectiveAckList } from './draft';
import { departementChoices, listKindsFor, regionChoices, requestOfKind } from './ackListDraft';
import { AckListKind } from '../../../common/domain/eventlog/ackList';
import type { AckCandidate, AckListPreview, AckListRequest } from '../../../common/domain/eventlog/api';
import './ackLists.css';

/** How many names the preview shows before « et N autres ». */
const PREVIEW_NAMES = 6;

/**
 * Who must acknowledge the consigne being written: a distribution list (the ARS, a region's
 * SAMU, a département's establishments with critical care) or posts picked one by one, with
 * the count and the names of the posts it resolves to now, and why the server would refuse it.
 */
export function AckListPicker({ disabled }: { disabled: boolean }) {
  const draft = useEventLog((s) => s.draft);
  const updateDraft = useEventLog((s) => s.updateDraft);
  const referential = useSession((s) => s.referential);
  const request = effectiveAckList(draft);
  const kinds = listKindsFor(draft.territory);
  const requestKey = JSON.stringify([draft.territory, request]);
  const [preview, setPreview] = useState<{ key: string; data: AckListPreview } | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const ids = useId();

  useEffect(() => {
    let live = true;
    void call('consignes.ackList', { territory: draft.territory, list: request }).then((reply) => {
      if (!live) return;
      if (reply.ok) {
        setPreview({ key: requestKey, data: reply.data });
        setPreviewError(null);
      } else setPreviewError(reply.error.message);
    });
    return () => {
      live = false;
    };
    // `requestKey` says everything `request` and the territory say.
  }, [requestKey]);

  const setRequest = (next: AckListRequest) => updateDraft({ ackList: next });
  const shown = preview?.key === requestKey ? preview.data : null;
  const names = shown?.members ?? [];

  return (
    <div className="acklist" data-testid="composer-acklist" aria-labelledby={`${ids}-title`}>
      <div className="composer-row acklist-row">
        <label className="field field-inline">
          <span id={`${ids}-title`}>{ui.ackList.title}</span>
          <select
            data-testid="composer-acklist-kind"
            value={request.kind}
            disabled={disabled}
            onChange={(e) => setRequest(requestOfKind(AckListKind.parse(e.target.value), draft.territory, request, referential))}
          >
            {kinds.map((k) => (
              <option key={k} value={k}>
                {ui.ackList.kinds[k]}
              </option>
            ))}
          </select>
        </label>
        {request.kind === 'samu' && (
          <label className="field field-inline">
            <span>{ui.ackList.region}</span>
            <select
              data-testid="composer-acklist-region"
              value={`R:${request.region}`}
              disabled={disabled || draft.territory !== 'FR'}
              onChange={(e) => setRequest({ kind: 'samu', region: e.target.value.slice(2) })}
            >
              {regionChoices(draft.territory, referential).map((r) => (
                <option key={r.key} value={r.key}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {request.kind === 'critical-care' && (
          <label className="field field-inline">
            <span>{ui.ackList.departement}</span>
            <select
              data-testid="composer-acklist-dep"
              value={`D:${request.dep}`}
              disabled={disabled || draft.territory.startsWith('D:')}
              onChange={(e) => setRequest({ kind: 'critical-care', dep: e.target.value.slice(2) })}
            >
              {departementChoices(draft.territory, referential).map((d) => (
                <option key={d.key} value={d.key}>
                  {d.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="acklist-count" data-testid="composer-acklist-count" aria-live="polite">
          {shown ? ui.ackList.count(names.length) : ui.ackList.loading}
        </span>
      </div>
      {request.kind === 'custom' ? (
        <CustomList territory={draft.territory} members={request.members} names={names} disabled={disabled} onChange={setRequest} />
      ) : (
        names.length > 0 && (
          <details className="acklist-names" data-testid="composer-acklist-preview">
            <summary>
              {names
                .slice(0, PREVIEW_NAMES)
                .map((n) => n.label)
                .join(', ')}
              {names.length > PREVIEW_NAMES && ` ${ui.ackList.more(names.length - PREVIEW_NAMES)}`}
            </summary>
            <ul>
              {names.map((n) => (
                <li key={n.key}>{n.label}</li>
              ))}
            </ul>
          </details>
        )
      )}
      {(shown?.problem ?? previewError) && (
        <p className="form-error" role="alert" data-testid="composer-acklist-problem">
          {shown?.problem ?? previewError}
        </p>
      )}
    </div>
  );
}

/** Posts picked one by one: a search field (Entrée adds the first match), the results, and the posts chosen (each removable). */
function CustomList({
  territory,
  members,
  names,
  disabled,
  onChange,
}: {
  territory: string;
  members: readonly string[];
  names: ReadonlyArray<{ key: string; label: string }>;
  disabled: boolean;
  onChange(next: AckListRequest): void;
}) {
  const [text, setText] = useState('');
  const [results, setResults] = useState<AckCandidate[]>([]);
  const inputRef = useRef<HTMLInputElement>(null);
  const labelOf = useMemo(() => new Map(names.map((n) => [n.key, n.label])), [names]);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void call('consignes.ackCandidates', { territory, text }).then((reply) => {
        if (live) setResults(reply.ok ? reply.data : []);
      });
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [territory, text]);

  const offered = results.filter((r) => !members.includes(r.key));
  const add = (key: string) => {
    onChange({ kind: 'custom', members: [...members, key] });
    setText('');
    inputRef.current?.focus();
  };
  const remove = (key: string) => onChange({ kind: 'custom', members: members.filter((m) => m !== key) });

  return (
    <div className="acklist-custom">
      {members.length === 0 ? (
        <p className="muted small">{ui.ackList.noneChosen}</p>
      ) : (
        <ul className="acklist-chosen" data-testid="composer-acklist-chosen" aria-label={ui.ackList.chosen}>
          {members.map((key) => (
            <li key={key}>
              <span>{labelOf.get(key) ?? key}</span>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                aria-label={ui.ackList.remove(labelOf.get(key) ?? key)}
                disabled={disabled}
                onClick={() => remove(key)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        ref={inputRef}
        type="search"
        data-testid="composer-acklist-search"
        aria-label={ui.ackList.search}
        placeholder={ui.ackList.searchPlaceholder}
        value={text}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Entrée adds the first match; it never sends the message from here.
          if (e.key === 'Enter') {
            e.preventDefault();
            if (offered[0]) add(offered[0].key);
          }
        }}
      />
      {offered.length > 0 && (
        <ul className="acklist-results" data-testid="composer-acklist-results">
          {offered.slice(0, 12).map((c) => (
            <li key={c.key}>
              <button type="button" className="link" disabled={disabled} onClick={() => add(c.key)}>
                {c.label}
              </button>
              {c.detail && <span className="muted small"> · {c.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
