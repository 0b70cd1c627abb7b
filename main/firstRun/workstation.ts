/**
 * This workstation's own choices, outside any user's cache (they hold before anyone signs
 * in): the server address chosen at the first-run screen, and desktop notifications on or
 * off. One small JSON file in the data folder, written whole (write then rename), mode 0600.
 * The policy overrides both where it speaks (`main/policy`).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const FILE_NAME = 'workstation.json';

const WorkstationSchema = z.object({
  serverUrl: z.string().max(2_000).optional(),
  notifications: z.boolean().optional(),
});
export type WorkstationChoices = z.infer<typeof WorkstationSchema>;

export class WorkstationFile {
  private readonly file: string;

  constructor(private readonly dataDir: string) {
    this.file = join(dataDir, FILE_NAME);
  }

  /** What was chosen; an absent or unreadable file is no choice (the first-run screen asks again). */
  read(): WorkstationChoices {
    try {
      const parsed = WorkstationSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  update(patch: WorkstationChoices): WorkstationChoices {
    const next = { ...this.read(), ...patch };
    mkdirSync(this.dataDir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(next), { mode: 0o600 });
    renameSync(tmp, this.file);
    return next;
  }
}
