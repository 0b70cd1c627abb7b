/**
 * `POST /api/feed/fhir`: the register feed in the ROR's FHIR shape. Same key, same body limit
 * and same `FeedService` as the JSON feed; a FHIR client gets FHIR back: a `batch-response`
 * Bundle with one entry per request entry, and an OperationOutcome (French diagnostics) for
 * anything refused, including a refused request as a whole. docs/protocol.md §14.
 */
import type { ServerResponse } from 'node:http';
import { bedsHttp } from '../../../common/domain/beds/protocol';
import { fr } from '../../../common/i18n/fr';
import type { HttpRoute } from '../board';
import { errorText } from '../errors';
import { HttpError, MAX_FEED_BODY_BYTES, readJsonBody, sendJson } from '../http/json';
import { planBundle, type FeedReport, type IssueType } from './fhir';
import { authenticateFeedKey } from './feedKeys';
import type { FeedService, FeedWording } from './feedService';
import type { BedsStore } from './store';

/** FHIR's JSON media type, and plain JSON for senders that do not set it. */
export const FHIR_CONTENT_TYPES = ['application/fhir+json', 'application/json'] as const;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: Array<{ severity: 'fatal' | 'error' | 'warning' | 'information'; code: IssueType; diagnostics: string; expression?: string[] }>;
}
export interface BatchResponseEntry {
  response: { status: string; etag?: string; outcome?: OperationOutcome };
}
export interface BatchResponse {
  resourceType: 'Bundle';
  type: 'batch-response';
  timestamp: string;
  entry: BatchResponseEntry[];
}

const STATUS_TEXT: Record<number, string> = { 200: '200 OK', 201: '201 Created', 400: '400 Bad Request', 422: '422 Unprocessable Entity' };

const outcome = (severity: OperationOutcome['issue'][number]['severity'], code: IssueType, diagnostics: string, expression?: string): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity, code, diagnostics, ...(expression ? { expression: [expression] } : {}) }],
});

function sendOutcome(res: ServerResponse, status: number, code: IssueType, diagnostics: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, outcome(status >= 500 ? 'fatal' : 'error', code, diagnostics), { 'Content-Type': FHIR_JSON, ...headers });
}

export function fhirFeedRoute(store: BedsStore, feed: FeedService, log: (line: string) => void): HttpRoute {
  return {
    method: 'POST',
    path: bedsHttp.feedFhir,
    async handle(req, res) {
      try {
        const key = await authenticateFeedKey(store, req.headers.authorization);
        if (!key) {
          sendOutcome(res, 401, 'login', fr.feed.badKey, { 'WWW-Authenticate': 'ApiKey' });
          return;
        }
        let body: unknown;
        try {
          body = await readJsonBody(req, MAX_FEED_BODY_BYTES, FHIR_CONTENT_TYPES);
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          const code: IssueType = err.status === 413 ? 'too-long' : err.status === 415 ? 'not-supported' : 'invalid';
          // Refused bodies are not drained: close the connection instead of reading the rest.
          sendOutcome(res, err.status, code, err.status === 415 ? fr.fhirFeed.contentType : err.wire.message, err.status === 413 ? { Connection: 'close' } : {});
          if (err.status === 413) req.resume();
          return;
        }
        const plan = planBundle(body);
        if (!plan.ok) {
          sendOutcome(res, 400, plan.code, plan.reason);
          return;
        }

        // The Locations read as reports become the feed's lines; `entryOf` says which entry each came from.
        const reports: FeedReport[] = [];
        const entryOf: number[] = [];
        plan.entries.forEach((e, i) => {
          if (e.kind === 'report') {
            reports.push(e.report);
            entryOf.push(i);
          }
        });
        const wording: FeedWording = {
          duplicateUnit: (index, first) => fr.fhirFeed.duplicateEntry(entryOf[index] + 1, entryOf[first] + 1),
          observedInFuture: (index, observed, serverTime) => fr.fhirFeed.observedInFuture(entryOf[index] + 1, observed, serverTime),
        };
        const { results } = reports.length ? await feed.ingest(key, { reports }, wording) : { results: [] };

        const entry = plan.entries.map((e, i): BatchResponseEntry => {
          const where = `Bundle.entry[${i}]`;
          if (e.kind === 'context') {
            return { response: { status: STATUS_TEXT[200], outcome: outcome('information', 'informational', fr.fhirFeed.context(e.resourceType), where) } };
          }
          if (e.kind === 'refused') {
            return { response: { status: STATUS_TEXT[e.status], outcome: outcome('error', e.code, e.reason, where) } };
          }
          const r = results[entryOf.indexOf(i)];
          if (r.status === 'rejected') {
            return { response: { status: STATUS_TEXT[422], outcome: outcome('error', 'processing', r.reason, where) } };
          }
          const issues: OperationOutcome['issue'] = [
            { severity: 'information', code: 'informational', diagnostics: fr.fhirFeed.applied(r.version) },
            ...e.notes.map((n) => ({ severity: 'warning' as const, code: 'informational' as const, diagnostics: n, expression: [where] })),
          ];
          // The etag is the report's version in Vigie's change log (the `version` of the unit row).
          return { response: { status: STATUS_TEXT[201], etag: `W/"${r.version}"`, outcome: { resourceType: 'OperationOutcome', issue: issues } } };
        });
        const answer: BatchResponse = { resourceType: 'Bundle', type: 'batch-response', timestamp: new Date().toISOString(), entry };
        sendJson(res, 200, answer, { 'Content-Type': FHIR_JSON });
      } catch (err) {
        log(`http POST ${bedsHttp.feedFhir}: ${errorText(err)}`);
        if (!res.headersSent) sendOutcome(res, 500, 'exception', fr.protocol.internal);
        else res.destroy();
      }
    },
  };
}
