/**
 * The composer's draft, and how it is prepared for a new consigne version, a correction or
 * a message the server refused. Pure.
 */
import { z } from 'zod';
import { excerpt } from './format';
import type { RejectedMutation } from '../../../common/app/api';
import type { AckListRequest, MessageView } from '../../../common/domain/eventlog/api';
import { defaultListFor, requestFromArgs, requestFromList } from './ackListDraft';
import { MessageKind, Priority } from '../../../common/domain/eventlog/model';
import type { CallArgs } from '../../../common/api';

export interface MessageRef {
  id: string;
  excerpt: string;
}

export interface ComposerDraft {
  territory: string;
  kind: MessageKind;
  priority: Priority;
  body: string;
  /** Set for a new version of a consigne: then the kind and the territory are fixed. */
  replaces: MessageRef | null;
  corrects: MessageRef | null;
  /** The refused mutation this draft fixes: dismissed once the fixed message is sent. */
  fromRejected: number | null;
  /** A consigne's distribution list as chosen; null: the default list of its territory. */
  ackList: AckListRequest | null;
}

export function blankDraft(territory: string): ComposerDraft {
  return { territory, kind: 'information', priority: 'info', body: '', replaces: null, corrects: null, fromRejected: null, ackList: null };
}

/** The list a consigne of this draft is sent with: the one chosen, or its territory's default. */
export function effectiveAckList(draft: Pick<ComposerDraft, 'territory' | 'ackList'>): AckListRequest {
  return draft.ackList ?? defaultListFor(draft.territory);
}

/** A new version of a consigne keeps its territory and kind; the text starts from the old one. */
export function draftForNewVersion(m: MessageView): ComposerDraft {
  return {
    territory: m.territory,
    kind: 'consigne',
    priority: m.priority,
    body: m.body,
    replaces: { id: m.id, excerpt: excerpt(m.body, 50) },
    corrects: null,
    fromRejected: null,
    // The new version asks the same posts again (a named list is resolved anew when sent).
    ackList: requestFromList(m.ackList),
  };
}

/**
 * A correction of any message: same kind and priority, addressed to the same territory when
 * the user may write there (else to their first choice), text starting from the original.
 */
export function draftForCorrection(m: MessageView, postableKeys: readonly string[]): ComposerDraft {
  const territory = postableKeys.includes(m.territory) ? m.territory : (postableKeys[0] ?? m.territory);
  return {
    territory,
    kind: m.kind,
    priority: m.priority,
    body: m.body,
    replaces: null,
    corrects: { id: m.id, excerpt: excerpt(m.body, 50) },
    fromRejected: null,
    ackList: requestFromList(m.ackList),
  };
}

/** The names under which a refused message post may be reported (mutation or call name). */
const POST_NAMES = new Set(['message.post', 'messages.post']);

const RefusedPostArgs = z.object({
  eventId: z.string(),
  territory: z.string(),
  kind: MessageKind,
  priority: Priority,
  body: z.string(),
  replaces: z.string().nullable().optional(),
  corrects: z.string().nullable().optional(),
  ackList: z.unknown().optional(),
});

/** True when a refused mutation is a message the user can fix and send again. */
export function isRefusedPost(r: RejectedMutation): boolean {
  return POST_NAMES.has(r.name) && RefusedPostArgs.safeParse(r.args).success;
}

/** The draft that puts a refused message back in the composer, or null when it is not one. */
export function draftFromRejected(r: RejectedMutation): { eventId: string; draft: ComposerDraft } | null {
  if (!POST_NAMES.has(r.name)) return null;
  const parsed = RefusedPostArgs.safeParse(r.args);
  if (!parsed.success) return null;
  const a = parsed.data;
  return {
    eventId: a.eventId,
    draft: {
      territory: a.territory,
      kind: a.kind,
      priority: a.priority,
      body: a.body,
      // The refused link may be the very reason of the refusal: keep it visible, the user may cancel it.
      replaces: a.replaces ? { id: a.replaces, excerpt: a.replaces.slice(0, 8) } : null,
      corrects: a.corrects ? { id: a.corrects, excerpt: a.corrects.slice(0, 8) } : null,
      fromRejected: r.mutationId,
      ackList: requestFromArgs(a.ackList),
    },
  };
}

/** The `messages.post` arguments for a draft. */
export function postArgs(draft: ComposerDraft, eventId: string): CallArgs<'messages.post'> {
  return {
    eventId,
    territory: draft.territory,
    kind: draft.kind,
    priority: draft.priority,
    body: draft.body,
    replaces: draft.replaces?.id ?? null,
    corrects: draft.corrects?.id ?? null,
    // Sent as shown in the composer: a consigne always names its list.
    ...(draft.kind === 'consigne' ? { ackList: effectiveAckList(draft) } : {}),
  };
}

/** A short text for a refused mutation in the list, e.g. the excerpt of the refused message. */
export function describeRefused(r: RejectedMutation): string {
  const a = r.args;
  if (a && typeof a === 'object') {
    const rec = a as Record<string, unknown>;
    if (typeof rec.body === 'string') return excerpt(rec.body, 80);
    if (typeof rec.title === 'string') return excerpt(rec.title, 80);
  }
  return '';
}
