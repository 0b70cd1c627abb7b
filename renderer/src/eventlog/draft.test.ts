import { describe, expect, it } from 'vitest';
import { blankDraft, describeRefused, draftForCorrection, draftForNewVersion, draftFromRejected, isRefusedPost, postArgs } from './draft';
import type { RejectedMutation } from '../../../common/app/api';
import type { MessageView } from '../../../common/domain/eventlog/api';
import { MessagePostArgs } from '../../../common/domain/eventlog/model';
import { consoleCalls } from '../../../common/api';

const EVENT = '11111111-1111-4111-8111-111111111111';
const MSG = '22222222-2222-4222-8222-222222222222';

const consigne: MessageView = {
  id: MSG,
  eventId: EVENT,
  level: 'regional',
  territory: 'R:11',
  kind: 'consigne',
  priority: 'important',
  body: 'Activer le plan blanc\ndans tous les établissements',
  authorId: 'u1',
  authorName: 'ARS IdF',
  authorRole: 'ars:11',
  at: '2024-03-05T10:00:00Z',
  replaces: null,
  corrects: null,
  ackList: null,
  receivedAt: null,
  version: 3,
  territoryLabel: 'ARS Île-de-France',
  pending: false,
  replacedBy: null,
  correctedBy: [],
  ackCount: 0,
  expectedAckCount: 8,
  ackedByMe: false,
  canAck: true,
};

describe('composer drafts', () => {
  it('starts blank as a mild information', () => {
    expect(blankDraft('D:75')).toMatchObject({ territory: 'D:75', kind: 'information', priority: 'info', body: '' });
  });

  it('prepares a new consigne version on the same territory, pointing at the old one', () => {
    const d = draftForNewVersion(consigne);
    expect(d).toMatchObject({ territory: 'R:11', kind: 'consigne', priority: 'important', body: consigne.body });
    expect(d.replaces?.id).toBe(MSG);
    expect(d.replaces?.excerpt).toBe('Activer le plan blanc dans tous les établissements');
    // What the composer sends is what main and the mutator accept.
    const args = postArgs(d, EVENT);
    expect(consoleCalls['messages.post'].args.safeParse(args).success).toBe(true);
    expect(MessagePostArgs.safeParse({ ...args, id: '33333333-3333-4333-8333-333333333333' }).success).toBe(true);
    expect(args.replaces).toBe(MSG);
    expect(args.corrects).toBeNull();
  });

  it('addresses a correction to the original territory only when the user may write there', () => {
    expect(draftForCorrection(consigne, ['R:11', 'D:75']).territory).toBe('R:11');
    const samu = draftForCorrection(consigne, ['D:75']);
    expect(samu.territory).toBe('D:75');
    expect(samu.corrects?.id).toBe(MSG);
    expect(postArgs(samu, EVENT).corrects).toBe(MSG);
  });
});

describe('refused messages', () => {
  const refused: RejectedMutation = {
    mutationId: 7,
    name: 'message.post',
    args: { id: MSG, eventId: EVENT, territory: 'D:13', kind: 'demande', priority: 'urgent', body: 'Besoin de 2 lits', replaces: null, corrects: null },
    at: '2024-03-05T10:00:00Z',
    reason: 'Le territoire « SAMU 13 » est hors de votre périmètre.',
  };

  it('puts a refused message back in the composer, remembering which refusal it fixes', () => {
    const refill = draftFromRejected(refused);
    expect(refill?.eventId).toBe(EVENT);
    expect(refill?.draft).toMatchObject({ territory: 'D:13', kind: 'demande', priority: 'urgent', body: 'Besoin de 2 lits', fromRejected: 7 });
    expect(isRefusedPost(refused)).toBe(true);
    expect(describeRefused(refused)).toBe('Besoin de 2 lits');
  });

  it('does not offer to resend what is not a message', () => {
    const ack: RejectedMutation = { ...refused, name: 'consigne.acknowledge', args: { messageId: MSG } };
    expect(draftFromRejected(ack)).toBeNull();
    expect(isRefusedPost(ack)).toBe(false);
    expect(isRefusedPost({ ...refused, args: { body: 42 } })).toBe(false);
    expect(describeRefused({ ...refused, name: 'event.open', args: { title: 'Crue' } })).toBe('Crue');
  });
});
