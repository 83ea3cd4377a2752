// The report of a carried-out plan, as the CLI and its sub-commands (bin/commands/shared.ts)
// print it. Its own module: the CLI's fast path imports it, and nothing else of the commands.
import { printable } from '../core/errors.ts';
import type { PlanEntry } from '../core/plan.ts';
import { describeModeFix, type ModeFix } from '../core/secrets.ts';
import { writes } from '../core/write.ts';

/**
 * The lines reporting a carried-out plan: `before` first (the CLI's cleaned temporary
 * files), a line per file written, removed or kept, .yo-rc.json, and "up to date" on top
 * when nothing changed.
 */
export function planLines(entries: readonly PlanEntry[], yoRcChanged: boolean, before: readonly string[] = [], modeFixes: readonly ModeFix[] = []): string[] {
  const lines = [...before];
  let changed = yoRcChanged || modeFixes.length > 0;
  for (const fix of modeFixes) lines.push(`${'fix'.padStart(10)} ${fix.path} (${describeModeFix(fix)})`);
  for (const e of entries) {
    const label = writes(e) ? e.action : e.action === 'remove' ? 'remove' : undefined;
    if (label) {
      changed = true;
      lines.push(`${label.padStart(10)} ${printable(e.path)}${label === 'merge' && e.note ? ` (${e.note})` : ''}`);
    } else if ((e.action === 'keep' && e.kind !== 'secret') || e.action === 'keep-removed') {
      // An existing secret is always kept (never rewritten): not worth a line on every run.
      lines.push(`${'keep'.padStart(10)} ${printable(e.path)}${e.note ? ` (${e.note})` : ''}`);
    }
  }
  if (yoRcChanged) lines.push(`${'config'.padStart(10)} .yo-rc.json`);
  if (!changed) lines.unshift('up to date: nothing changed');
  return lines;
}
