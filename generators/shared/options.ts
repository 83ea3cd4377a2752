// A mistyped flag given to yo (`yo wpsn-docker --databse postgres`): Yeoman passes every
// flag on and ignores those no generator declared, so the run went on without it. Here a
// flag close to one the generator declares is refused with the one it is closest to. A
// flag close to none stays ignored: Yeoman, yo and yeoman-environment put their own keys
// among the options (sharedData, resolved, namespace, ...), which are no typos.
import type Generator from 'yeoman-generator';
import type { Problem } from '../../core/errors.ts';
import { closest } from '../../core/suggest.ts';

/** `hostProt` (how yo's meow spells a flag) as the flag was typed: `host-prot`. */
const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The generator's mistyped flags, each with the declared flag it is closest to. */
export function mistypedOptions(gen: Generator<any, any>): Problem[] {
  const declared = (gen as unknown as { _options: Record<string, { alias?: string }> })._options;
  const names = Object.keys(declared);
  const known = new Set<string>();
  for (const [name, option] of Object.entries(declared)) {
    known.add(name);
    known.add(name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()));
    if (option.alias) known.add(option.alias);
  }
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const key of Object.keys(gen.options as Record<string, unknown>)) {
    if (known.has(key)) continue;
    const typed = kebab(key);
    if (known.has(typed) || seen.has(typed)) continue;
    seen.add(typed);
    const guess = closest(typed, names);
    if (guess !== undefined) problems.push({ field: `--${typed}`, rule: `unknown option; did you mean --${guess}?` });
  }
  return problems;
}
