/**
 * ConsoleApi calls of the main courante: crisis events, messages, acknowledgements. Writes
 * run the shared mutator on the local cache (shown at once, queued for the server); a local
 * rejection is answered with its French reason and queues nothing.
 */
import { randomUUID } from 'node:crypto';
import type { eventLogMutators } from '../../common/domain/eventlog/mutators';
import type { EntityName } from '../../common/boards';
import { MutationRejected } from '../../common/engine/mutation';
import { fr } from '../../common/i18n/fr';
import type { ServiceContext } from '../context';
import { ApiError, queueMutation, type HandlerTable } from '../handlers';
import { ackCandidates, ackListArgs, defaultAckListRequest, previewAckList } from './ackLists';

type EventLogMutation = keyof typeof eventLogMutators;

const mutate = (ctx: ServiceContext, name: EventLogMutation, args: Record<string, unknown>, entity: EntityName, id?: string) =>
  queueMutation(ctx, name, args, [entity], id);

export function registerEventLogHandlers(table: HandlerTable, ctx: ServiceContext): void {
  table.register('events.list', () => ctx.session.requireActive().store.boards.eventlog.listEvents());

  table.register('events.open', ({ title, description, territory }) => {
    const id = randomUUID();
    return mutate(ctx, 'event.open', { id, title, description: description ?? '', territory }, 'event', id);
  });

  table.register('events.close', ({ id }) => mutate(ctx, 'event.close', { id }, 'event'));

  table.register('messages.list', ({ eventId, filter }) => {
    const s = ctx.session.requireActive();
    return s.store.boards.eventlog.listMessages(eventId, filter, s.actor);
  });

  table.register('messages.changes', ({ eventId, filter, since }) => {
    const s = ctx.session.requireActive();
    return s.store.boards.eventlog.messageChangesSince(eventId, filter, s.actor, since);
  });

  table.register('messages.post', (args) => {
    const id = randomUUID();
    const s = ctx.session.requireActive();
    // A consigne expects the list its author chose, else the level below as lists name it;
    // the critical-care list is drawn now from this workstation's bed picture.
    const request = args.ackList ?? (args.kind === 'consigne' ? defaultAckListRequest(args.territory, ctx.territories()) : null);
    let ackList = null;
    if (request) {
      try {
        ackList = ackListArgs(request, s.store, ctx.territories());
      } catch (err) {
        if (err instanceof MutationRejected) throw new ApiError('rejected', err.message);
        throw err;
      }
    }
    return mutate(
      ctx,
      'message.post',
      {
        id,
        eventId: args.eventId,
        territory: args.territory,
        kind: args.kind,
        priority: args.priority,
        body: args.body,
        replaces: args.replaces ?? null,
        corrects: args.corrects ?? null,
        ackList,
      },
      'message',
      id,
    );
  });

  table.register('consignes.ackList', ({ territory, list }) => {
    const s = ctx.session.requireActive();
    return previewAckList(list, territory, s.actor, s.store, ctx.territories());
  });

  table.register('consignes.ackCandidates', ({ territory, text }) => {
    const s = ctx.session.requireActive();
    return ackCandidates(territory, text ?? '', s.actor, s.store, ctx.territories());
  });

  table.register('rooms.view', ({ eventId }) => {
    const s = ctx.session.requireActive();
    return s.store.boards.eventlog.roomViews(eventId, s.actor);
  });

  table.register('rooms.openPost', ({ eventId, label, kind }) => {
    const id = randomUUID();
    return mutate(ctx, 'room.openPost', { id, eventId, label, kind }, 'roomPost', id);
  });

  table.register('rooms.closePost', ({ id }) => mutate(ctx, 'room.closePost', { id }, 'roomPost'));

  table.register('rooms.assign', ({ postId, person, qualification, startsAt, endsAt }) => {
    const id = randomUUID();
    return mutate(ctx, 'room.assign', { id, postId, person, qualification: qualification ?? '', startsAt, endsAt }, 'roomShift', id);
  });

  table.register('rooms.cancelShift', ({ id }) => mutate(ctx, 'room.cancelShift', { id }, 'roomShift'));

  table.register('messages.acknowledge', ({ messageId }) => mutate(ctx, 'consigne.acknowledge', { messageId }, 'ack'));

  table.register('messages.acks', ({ messageId }) => {
    const summary = ctx.session.requireActive().store.boards.eventlog.ackSummary(messageId);
    if (!summary) throw new ApiError('bad_args', fr.reject.messageNotFound);
    return summary;
  });
}
