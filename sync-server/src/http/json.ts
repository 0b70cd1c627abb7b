/** JSON over Node's `http`: bounded body reading and uniform answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fr } from '../../../common/i18n/fr';
import type { WireError } from '../../../common/protocol';

/** Largest accepted HTTP body (login requests are a few hundred bytes). */
export const MAX_HTTP_BODY_BYTES = 16 * 1024;
/** Largest register feed body: 2,000 reports (`MAX_FEED_REPORTS`) of ~300 bytes fit with room to spare. */
export const MAX_FEED_BODY_BYTES = 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly wire: WireError,
  ) {
    super(wire.message);
    this.name = 'HttpError';
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extraHeaders,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, error: WireError, extraHeaders?: Record<string, string>): void {
  sendJson(res, status, { error }, extraHeaders);
}

/**
 * Reads and parses a JSON body. Throws `HttpError` 415 for a content type not in
 * `contentTypes` (a JSON media type such as FHIR's `application/fhir+json` is opted into by
 * its route), 413 past `maxBytes` (without buffering the rest), 400 for malformed JSON.
 */
export function readJsonBody(
  req: IncomingMessage,
  maxBytes: number = MAX_HTTP_BODY_BYTES,
  contentTypes: readonly string[] = ['application/json'],
): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!contentTypes.includes(type)) {
    return Promise.reject(new HttpError(415, { code: 'bad_request', message: fr.server.jsonExpected }));
  }
  const tooLarge = new HttpError(413, { code: 'too_large', message: fr.protocol.tooLarge(maxBytes) });
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxBytes) return Promise.reject(tooLarge);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        reject(tooLarge);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, { code: 'bad_request', message: fr.server.badJson }));
      }
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
  });
}
