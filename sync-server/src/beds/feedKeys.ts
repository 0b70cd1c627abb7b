/**
 * Register feed API keys: creation (CLI, demo, tests) and lookup from an `Authorization`
 * header. A key is 32 random bytes (base64url); only its SHA-256 is stored. A key is bound to
 * a territory, `FR` or a region, and acts as `national` or `ars:<region>`: the roles the
 * `unit.report` mutator lets write through a feed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../../common/engine/mutation';
import { fr } from '../../../common/i18n/fr';
import { COUNTRY, parseRole, type Territories } from '../../../common/territory';
import { feedClientIdOf, type BedsStore, type FeedKeyRecord } from './store';

export interface CreateFeedKeyInput {
  /** Who feeds, e.g. "ROR Île-de-France". Shown as the reports' author. */
  label: string;
  /** `FR` or `R:<region>`. */
  territory: string;
  /** The key itself (demo and tests with a known key); random when absent. */
  key?: string;
}

export interface CreatedFeedKey extends FeedKeyRecord {
  /** The secret, shown once: only its hash is stored. */
  key: string;
}

export function hashFeedKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The role a key bound to `territory` acts with, or null for a territory a key cannot have. */
export function feedRole(territory: string, territories: Territories): string | null {
  if (territory === COUNTRY) return 'national';
  const m = /^R:(\d{2})$/.exec(territory);
  return m && territories.region(m[1]) ? `ars:${m[1]}` : null;
}

/** Throws an Error with a French message for a bad label or territory; nothing is stored then. */
export async function createFeedKey(
  store: BedsStore,
  territories: Territories,
  input: CreateFeedKeyInput,
  now: Date = new Date(),
): Promise<CreatedFeedKey> {
  const label = input.label.trim();
  if (!label || label.length > 200) throw new Error(fr.feed.badLabel);
  const role = feedRole(input.territory, territories);
  if (!role) throw new Error(fr.feed.badTerritory(input.territory));
  const key = input.key ?? randomBytes(32).toString('base64url');
  const record = await store.insertFeedKey({ keyHash: hashFeedKey(key), label, territory: input.territory, role, createdAt: now });
  return { ...record, key };
}

/** `Authorization: ApiKey <key>` → key, or null. */
export function apiKeyFromHeader(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^ApiKey\s+([A-Za-z0-9_-]{16,200})\s*$/.exec(header);
  return m ? m[1] : null;
}

/** The enabled key behind a header, or null (missing, unknown or disabled: one answer for all). */
export async function authenticateFeedKey(store: BedsStore, header: string | undefined): Promise<FeedKeyRecord | null> {
  const key = apiKeyFromHeader(header);
  if (!key) return null;
  const record = await store.findFeedKey(hashFeedKey(key));
  return record && !record.disabled ? record : null;
}

/** The actor a key's reports are applied as; null if its territory left the referential. */
export function feedActor(key: FeedKeyRecord, territories: Territories): Actor | null {
  const role = parseRole(key.role);
  const path = territories.path(key.territory);
  if (!role || !path) return null;
  return { userId: key.userId, displayName: key.label, roleText: key.role, role, territory: key.territory, territoryPath: path };
}

/** The client id a key writes through (reserved for it when the key is created). */
export function feedClientId(key: Pick<FeedKeyRecord, 'id'>): string {
  return feedClientIdOf(key.id);
}
