// Carries out a plan on disk for the bin: every file written to a temporary name and
// renamed over the old one, so a killed run leaves each file old or new, never cut.
import { chmodSync, mkdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Plan, PlanEntry } from './plan.ts';
import { SECRET_FILE_MODE, SECRETS_DIR, SECRETS_DIR_MODE } from './secrets.ts';

let counter = 0;

export function writeAtomic(path: string, content: string, mode?: number): void {
  const tmp = join(dirname(path), `.${process.pid}.${counter++}.wpsn-tmp`);
  try {
    writeFileSync(tmp, content, mode === undefined ? undefined : { mode });
    if (mode !== undefined) chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

function ensureDir(dir: string, mode?: number): void {
  try {
    if (statSync(dir).isDirectory()) return;
  } catch {
    /* missing */
  }
  mkdirSync(dir, { recursive: true, ...(mode === undefined ? {} : { mode }) });
  if (mode !== undefined) chmodSync(dir, mode);
}

export const writes = (e: PlanEntry): boolean => e.action === 'create' || e.action === 'update';

export function applyPlan(dir: string, plan: Plan, yoRc: { content: string; changed: boolean }): void {
  ensureDir(dir);
  for (const entry of plan.entries) {
    const target = join(dir, entry.path);
    if (writes(entry)) {
      const isSecret = entry.kind === 'secret';
      ensureDir(dirname(target), isSecret && dirname(entry.path) === SECRETS_DIR ? SECRETS_DIR_MODE : undefined);
      writeAtomic(target, entry.content ?? '', isSecret ? SECRET_FILE_MODE : entry.mode);
    } else if (entry.action === 'remove') {
      unlinkSync(target);
    }
  }
  if (yoRc.changed) writeAtomic(join(dir, '.yo-rc.json'), yoRc.content);
}
