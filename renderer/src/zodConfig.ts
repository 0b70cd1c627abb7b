/**
 * Imported first by `main.tsx`, before any module builds a zod schema: the CSP forbids eval,
 * and zod, unless told it is jitless, probes `new Function` while building object schemas
 * (each probe logs a CSP violation in the console). Zod's own messages in French, as in
 * every process (`common/zodFr.ts`).
 */
import { z } from 'zod';
import '../../common/zodFr';

z.config({ jitless: true });
