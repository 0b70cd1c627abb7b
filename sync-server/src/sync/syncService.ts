/**
 * Push and pull for an authenticated identity, transport-free: the socket handlers call it,
 * and so does the demo seeding, so seeded data takes the same path as a user's.
 */
import { privatePathOfRole } from '../../../common/territory';
import { fr } from '../../../common/i18n/fr';
import type { Identity } from '../auth/actor';
import type { AuditRecorder } from '../audit/recorder';
import { errorText } from '../errors';
import { CursorAheadError, type ScopedChange, type ServerStore } from '../store/types';
import { type Poke, type PullRequest, type PullResult, type PushRequest, type PushResult, type Reply, type SyncHello, DEFAULT_PULL_LIMIT, PROTOCOL_VERSION } from '../../../common/protocol';

/** Sends one poke to a list of rooms (one emit, so a socket in several of them gets one copy). */
export type PokeSink = (rooms: string[], poke: Poke) => void;

export class SyncService {
  constructor(
    private readonly store: ServerStore,
    private readonly now: () => Date,
    private readonly poke: (changes: ScopedChange[]) => void,
    private readonly log: (line: string) => void,
    /** Records the clinical summaries each pull delivers (audit trail). */
    private readonly audit?: AuditRecorder,
  ) {}

  /**
   * `req` is already validated and its client id checked against the caller's. `at` is the
   * server's clock for the push (its reception time); only the demo seeding, which replays a
   * past, gives another one.
   */
  async push(identity: Identity, req: PushRequest, at: Date = this.now()): Promise<Reply<PushResult>> {
    const outcome = await this.store.applyMutations({
      clientId: req.clientId,
      actor: identity.actor,
      mutations: req.mutations,
      now: at,
    });
    // Committed changes are announced even when the batch stopped part-way.
    if (outcome.changes.length) {
      try {
        this.poke(outcome.changes);
      } catch (err) {
        this.log(`poke failed: ${errorText(err)}`);
      }
    }
    const stop = outcome.stop;
    if (!stop) return { data: { results: outcome.results } };
    switch (stop.code) {
      case 'gap':
        return { error: { code: 'gap', message: fr.protocol.gap(stop.expected, stop.got) } };
      case 'forbidden':
        await this.audit?.refused(identity.actor, { resource: 'client', action: 'push', clientId: req.clientId });
        return { error: { code: 'forbidden', message: fr.protocol.wrongClient } };
      case 'internal':
        this.log(`push from ${identity.user.username} (${req.clientId}) failed: ${errorText(stop.cause)}`);
        return { error: { code: 'internal', message: fr.protocol.internal } };
    }
  }

  /**
   * A page of changes and the server's epoch. A cursor beyond the head is refused with
   * `cursor_ahead` (never echoed back): the client rebuilds its cache from 0.
   */
  async pull(identity: Identity, req: PullRequest): Promise<Reply<PullResult>> {
    try {
      const page = await this.store.pull(identity.actor.territoryPath, req.cursor, req.limit ?? DEFAULT_PULL_LIMIT, privatePathOfRole(identity.actor.role, identity.actor.territoryPath));
      await this.audit?.summariesPulled(identity.actor, page.changes);
      return { data: { ...page, epoch: await this.store.epoch() } };
    } catch (err) {
      if (!(err instanceof CursorAheadError)) throw err;
      return { error: { code: 'cursor_ahead', message: fr.protocol.cursorAhead(err.cursor, err.head) } };
    }
  }

  /** What a socket is told first: the epoch, the head and its client id's last mutation id. */
  async hello(clientId: string): Promise<SyncHello> {
    return {
      protocol: PROTOCOL_VERSION,
      epoch: await this.store.epoch(),
      head: await this.store.latestVersion(),
      lastMutationId: await this.store.lastMutationId(clientId),
    };
  }
}
