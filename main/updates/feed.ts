/**
 * Where updates come from: a generic electron-updater feed (a static folder the
 * organisation runs, docs/deployment.md) and a channel. Both are the administrator
 * policy's (`{ channel, url }`, wired at start-up); without a URL updates are off, so a
 * workstation nobody configured asks no one.
 */
import { fr } from '../../common/i18n/fr';

export const DEFAULT_UPDATE_CHANNEL = 'latest';
/** How often a running workstation looks for an update (and once at start-up). */
export const DEFAULT_CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

/** What the policy gives; every field optional. */
export interface UpdateFeedInput {
  channel?: string | null;
  url?: string | null;
}

export type UpdateFeed =
  | { enabled: true; url: string; channel: string }
  | { enabled: false; channel: string; reason: string };

/** electron-updater reads `<channel>.yml`, `<channel>-linux.yml`, `<channel>-mac.yml`: a bare file-name part. */
const CHANNEL = /^[a-z][a-z0-9-]{0,31}$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Checks the policy's values. https only: the update files' sha512 sums are what the
 * installer is checked against, so they must not be readable or replaceable on the way
 * (plain http is accepted on the loopback only, for a test feed).
 */
export function resolveUpdateFeed(input: UpdateFeedInput = {}): UpdateFeed {
  const channel = input.channel?.trim() || DEFAULT_UPDATE_CHANNEL;
  if (!CHANNEL.test(channel)) return { enabled: false, channel: DEFAULT_UPDATE_CHANNEL, reason: fr.updates.badChannel(channel.slice(0, 40)) };
  const raw = input.url?.trim();
  if (!raw) return { enabled: false, channel, reason: fr.updates.noUrl };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { enabled: false, channel, reason: fr.updates.badUrl(raw.slice(0, 200)) };
  }
  const ok = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  // Credentials in the address are refused, and never repeated in the message (it is logged).
  const shown = `${url.protocol}//${url.host}${url.pathname}`.slice(0, 200);
  if (!ok || url.username || url.password) return { enabled: false, channel, reason: fr.updates.badUrl(shown) };
  // The feed is a folder: electron-updater resolves `latest.yml` against it.
  const href = url.href.endsWith('/') ? url.href : `${url.href}/`;
  return { enabled: true, url: href, channel };
}
