/**
 * Imported first by `main.tsx`, before any module builds a zod schema: the CSP forbids eval,
 * and zod, unless told it is jitless, probes `new Function` while building object schemas
 * (each probe logs a CSP violation in the console).
 */
import { z } from 'zod';

z.config({ jitless: true });
