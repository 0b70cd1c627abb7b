/**
 * `GET /api/territories`: the territory referential this server decides with (regions,
 * départements, establishments), so that an independent client can name territories,
 * compute scope paths and build distribution lists exactly as the server will check them
 * (docs/protocol.md §8). Open data (INSEE, FINESS), but served to a signed-in user only:
 * ~250 KB per request is not for anonymous callers. Built once; an `ETag` lets a client
 * keep its copy (`If-None-Match` → 304).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fr } from '../../../common/i18n/fr';
import type { Territories } from '../../../common/territory';
import type { AuthService } from '../auth/authService';
import { bearerToken } from '../auth/tokens';
import type { HttpRoute } from '../board';
import { sendError } from './json';

export const TERRITORIES_PATH = '/api/territories';

/** The body of `GET /api/territories` (docs/protocol.md §8, "The territory referential"). */
export interface TerritoriesDocument {
  regions: Array<{ key: string; code: string; name: string; label: string; path: string }>;
  departements: Array<{ key: string; code: string; name: string; region: string; label: string; path: string }>;
  establishments: Array<{ key: string; finess: string; dep: string; name: string; shortName: string; city: string; label: string; path: string }>;
}

export function territoriesDocument(t: Territories): TerritoriesDocument {
  const path = (key: string): string => t.path(key) ?? '';
  return {
    regions: t.regionList().map((r) => ({ key: `R:${r.code}`, code: r.code, name: r.name, label: t.label(`R:${r.code}`), path: path(`R:${r.code}`) })),
    departements: t.departementList().map((d) => ({ key: `D:${d.code}`, code: d.code, name: d.name, region: d.region, label: t.label(`D:${d.code}`), path: path(`D:${d.code}`) })),
    establishments: t.establishmentsIn().map((e) => ({
      key: `E:${e.finess}`,
      finess: e.finess,
      dep: e.dep,
      name: e.name,
      shortName: e.shortName,
      city: e.city,
      label: t.label(`E:${e.finess}`),
      path: path(`E:${e.finess}`),
    })),
  };
}

export function territoriesRoute(auth: AuthService, territories: Territories): HttpRoute {
  let cached: { body: Buffer; etag: string } | null = null;
  return {
    method: 'GET',
    path: TERRITORIES_PATH,
    async handle(req: IncomingMessage, res: ServerResponse) {
      const token = bearerToken(req.headers.authorization);
      if (!token || !(await auth.authenticate(token))) {
        sendError(res, 401, { code: 'unauthenticated', message: fr.protocol.unauthenticated });
        return;
      }
      if (!cached) {
        const body = Buffer.from(JSON.stringify(territoriesDocument(territories)));
        cached = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      }
      const headers = { ETag: cached.etag, 'Cache-Control': 'private, no-cache', 'X-Content-Type-Options': 'nosniff' };
      if (req.headers['if-none-match'] === cached.etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': cached.body.length });
      res.end(cached.body);
    },
  };
}
