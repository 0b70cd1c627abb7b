/**
 * Zod's own French messages (its maintained `fr` locale) for every issue a schema does not
 * word itself: imported by `engine/mutation.ts`, through which every validation message a
 * person reads is formatted (`describeZodError`), so no process can show zod's English.
 * Only the French locale is imported, not the whole set.
 */
import { z } from 'zod';
import fr from 'zod/v4/locales/fr.js';

z.config(fr());
