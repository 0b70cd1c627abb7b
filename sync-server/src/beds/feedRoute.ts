/**
 * `POST /api/feed/unit-reports`: the register feed over HTTP. The key is checked before the
 * body is read (401, nothing read); a body that fails the schema is refused whole (400,
 * nothing written); otherwise one result per line.
 */
import { z } from 'zod';
import { bedsHttp, FeedRequestSchema } from '../../../common/domain/beds/protocol';
import { describeZodError } from '../../../common/engine/mutation';
import { fr } from '../../../common/i18n/fr';
import type { HttpRoute } from '../board';
import { MAX_FEED_BODY_BYTES, readJsonBody, sendError, sendJson } from '../http/json';
import { authenticateFeedKey } from './feedKeys';
import type { FeedService } from './feedService';
import type { BedsStore } from './store';

/** zod's French messages, per call: the feed's validation details are read by the register's operators. */
const frenchIssues = z.locales.fr().localeError;

export function feedRoute(store: BedsStore, feed: FeedService): HttpRoute {
  return {
    method: 'POST',
    path: bedsHttp.feedUnitReports,
    async handle(req, res) {
      const key = await authenticateFeedKey(store, req.headers.authorization);
      if (!key) {
        sendError(res, 401, { code: 'unauthenticated', message: fr.feed.badKey }, { 'WWW-Authenticate': 'ApiKey' });
        return;
      }
      const body = await readJsonBody(req, MAX_FEED_BODY_BYTES);
      const parsed = FeedRequestSchema.safeParse(body, { error: frenchIssues });
      if (!parsed.success) {
        sendError(res, 400, { code: 'bad_request', message: fr.protocol.badPayload(describeZodError(parsed.error)) });
        return;
      }
      sendJson(res, 200, await feed.ingest(key, parsed.data));
    },
  };
}
