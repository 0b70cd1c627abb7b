/**
 * The administrator policy: one JSON file an IT department deploys machine-wide (see
 * `docs/policy.md` for its locations and every key). Its schema lives here so the main
 * process validates it, the web host reads the same file, and the renderer receives the
 * `PolicyView` it needs (banner, locked settings and who locked them) with types that
 * cannot drift.
 *
 * Locked values are checked by the very schemas of the user settings they replace, so a
 * policy can never set what the settings dialogs would refuse.
 */
import { z } from 'zod';
import { FreshnessSettingsSchema } from '../domain/beds/api';
import { TransferSettingsSchema } from '../domain/transfers/api';
import { fr } from '../i18n/fr';

const p = fr.policy;

/** SHA-256 of the server certificate (DER), as browsers and `openssl x509 -fingerprint -sha256` print it: 32 bytes in hex, colons optional. */
export const FINGERPRINT_RE = /^(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{64}$/;

/** `AB:CD:…` upper case whatever the way it was written (the form Node's `X509Certificate.fingerprint256` gives). */
export function normaliseFingerprint(fp: string): string {
  const hex = fp.replace(/:/g, '').toUpperCase();
  return hex.match(/.{2}/g)?.join(':') ?? hex;
}

const httpUrl = (message: string) =>
  z.string({ error: message }).trim().refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, message);

const stocksShape = z.strictObject({
  red: z.number({ error: fr.stocks.settings.number }).min(0, fr.stocks.settings.range).max(60, fr.stocks.settings.range),
  orange: z.number({ error: fr.stocks.settings.number }).min(0, fr.stocks.settings.range).max(90, fr.stocks.settings.range),
});

/** The user settings a policy may lock, each optional: what it does not name stays the user's. */
export const LockedSettingsSchema = z.strictObject({
  /** The UI exists in French only; the key lets a policy say so explicitly (and refuses anything else). */
  language: z.literal('fr', { error: p.languageOnlyFr }).optional(),
  beds: z
    .strictObject({
      staleAfterHours: FreshnessSettingsSchema.shape.staleAfterHours.optional(),
      fewFree: FreshnessSettingsSchema.shape.thresholds.shape.fewFree.optional(),
    })
    .optional(),
  stocks: stocksShape
    .partial()
    .refine((t) => t.red === undefined || t.orange === undefined || t.orange >= t.red, { message: fr.stocks.settings.order, path: ['orange'] })
    .optional(),
  transfers: TransferSettingsSchema.partial().optional(),
});
export type LockedSettings = z.infer<typeof LockedSettingsSchema>;

export const UPDATE_CHANNELS = ['latest', 'beta', 'alpha'] as const;
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];

export const PolicySchema = z.strictObject({
  /** Who manages the workstation, shown beside every locked setting. */
  organisation: z.string({ error: p.organisationRequired }).trim().min(1, p.organisationRequired).max(120, p.tooLong(120)),
  server: z
    .strictObject({
      url: httpUrl(p.serverUrl),
      /** SHA-256 of the server's certificate: the workstation then trusts that certificate and no other. */
      fingerprint: z.string().trim().regex(FINGERPRINT_RE, p.fingerprint).transform(normaliseFingerprint).optional(),
    })
    .optional(),
  locked: LockedSettingsSchema.optional(),
  secrets: z
    .strictObject({
      /** Whether the session secret may be kept without an OS keyring (Electron's `basic_text` store on Linux). Default: no. */
      allowBasicText: z.boolean({ error: p.boolean }),
    })
    .optional(),
  proxy: z
    .discriminatedUnion(
      'mode',
      [
        z.strictObject({ mode: z.literal('system') }),
        z.strictObject({ mode: z.literal('direct') }),
        z.strictObject({
          mode: z.literal('fixed'),
          url: httpUrl(p.proxyUrl),
          /** Hosts reached without the proxy (`*.ars.sante.fr`, `10.0.0.0/8`…). */
          bypass: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
        }),
      ],
      { error: p.proxyMode },
    )
    .optional(),
  updates: z
    .strictObject({
      channel: z.enum(UPDATE_CHANNELS, { error: p.updateChannel }),
      /** The organisation's update folder (https; main/updates/feed.ts checks it again). Without it, updates are off. */
      url: httpUrl(p.updateUrl).optional(),
    })
    .optional(),
  banner: z
    .strictObject({
      /** `exercice`: a drill (amber banner); `crise`: a real crisis (red banner). */
      kind: z.enum(['exercice', 'crise'], { error: p.bannerKind }),
      text: z.string({ error: p.bannerText }).trim().min(1, p.bannerText).max(80, p.tooLong(80)),
    })
    .optional(),
  notifications: z
    .strictObject({
      /** `off` silences desktop notifications (shared screens); `on` keeps them whatever the user chooses; `user` lets each user choose. */
      desktop: z.enum(['on', 'off', 'user'], { error: p.notificationsMode }),
    })
    .optional(),
});
export type Policy = z.infer<typeof PolicySchema>;

/** The field an issue names, as an administrator reads it in the file: `locked.beds.staleAfterHours`, `proxy.url`. */
export function policyIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => p.issue(i.path.length ? i.path.map(String).join('.') : null, i.message))
    .join(' ; ');
}

/** What the renderer needs of the policy: nothing secret, nothing the UI does not show. */
export interface PolicyView {
  /** False when no policy file exists: every setting is the user's. */
  managed: boolean;
  organisation: string | null;
  banner: { kind: 'exercice' | 'crise'; text: string } | null;
  /** The server address set by policy (the first-run screen then asks for none). */
  serverUrl: string | null;
  locked: LockedSettings;
  /** Whether the user may switch desktop notifications (false: the policy decided). */
  notificationsUserChoice: boolean;
}

export const UNMANAGED_VIEW: PolicyView = { managed: false, organisation: null, banner: null, serverUrl: null, locked: {}, notificationsUserChoice: true };

export function policyView(policy: Policy | null): PolicyView {
  if (!policy) return UNMANAGED_VIEW;
  return {
    managed: true,
    organisation: policy.organisation,
    banner: policy.banner ?? null,
    serverUrl: policy.server?.url ?? null,
    locked: policy.locked ?? {},
    notificationsUserChoice: (policy.notifications?.desktop ?? 'user') === 'user',
  };
}

/** Which settings call each locked section guards, and the user-setting shape it overrides. */
export type LockedSection = 'beds' | 'stocks' | 'transfers';
