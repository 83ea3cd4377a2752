// The command line of the bin and its commands, read with node:util's parseArgs, but
// with the bin's own messages instead of the parser's: each names the flag, the value when
// there is one, and the rule; an unknown flag close to a known one says which
// ("--databse: unknown option; did you mean --database?").
import { parseArgs } from 'node:util';
import { closest } from '../core/suggest.ts';

export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

/** Each flag's value: a string flag's text, true for a switch given; absent when not given. */
export type FlagValues<S extends FlagSpecs> = { [K in keyof S]?: S[K]['type'] extends 'string' ? string : boolean };

export interface ParsedArgs<S extends FlagSpecs> {
  values: FlagValues<S>;
  positionals: string[];
}

/** A command line the bin cannot read: exit 2, nothing done. The message has no prefix. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What is wrong with an unknown flag: its name, and the known flag it is closest to. */
export function unknownFlagMessage(rawName: string, specs: FlagSpecs): string {
  if (!rawName.startsWith('--')) return `${rawName}: unknown option`;
  const guess = closest(rawName.slice(2), Object.keys(specs));
  return `${rawName}: unknown option${guess === undefined ? '' : `; did you mean --${guess}?`}`;
}

/**
 * Reads argv against the flags: --name value, --name=value, -x, grouped short switches,
 * positionals, and everything after `--` as positionals. Throws a UsageError for an unknown
 * flag, a flag that needs a value and has none (or has the next option in its place, which
 * --name=-x gives on purpose), and a value given to a switch.
 */
export function parseCommandLine<const S extends FlagSpecs>(argv: readonly string[], specs: S): ParsedArgs<S> {
  const { tokens } = parseArgs({ args: [...argv], options: specs, allowPositionals: true, strict: false, tokens: true });
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (spec === undefined) throw new UsageError(unknownFlagMessage(token.rawName, specs));
    const long = `--${token.name}`;
    if (spec.type === 'boolean') {
      if (token.inlineValue) throw new UsageError(`${long} = ${JSON.stringify(token.value)}: takes no value (it is a switch: write ${long} alone)`);
      values[token.name] = true;
      continue;
    }
    if (token.value === undefined) throw new UsageError(`${token.rawName}: needs a value (${token.rawName} VALUE), and none was given`);
    if (!token.inlineValue && token.value.startsWith('-') && token.value !== '-') {
      throw new UsageError(
        `${token.rawName} = ${JSON.stringify(token.value)}: the word after ${token.rawName} looks like an option, not its value: give ${token.rawName} a value, or write ${long}=${token.value} if that is the value`,
      );
    }
    values[token.name] = token.value;
  }
  return { values: values as FlagValues<S>, positionals };
}

/**
 * Why a directory argument is refused when it is a command word out of place (`--yes
 * verify`) or a command mistyped (`verfiy`, `doctr`): scaffolding into it is surely not
 * what was meant. A path with a slash (./verify, ./doctr) is always a directory.
 */
export function commandTypo(word: string, commands: readonly string[]): string | undefined {
  if (/[\\/]/.test(word)) return undefined;
  if (commands.includes(word)) {
    return `"${word}" is a command: write it first (wpsn-docker ${word} ...), or write ./${word} to scaffold into a directory of that name; nothing was written`;
  }
  const guess = closest(word, commands);
  if (guess === undefined) return undefined;
  return `"${word}" is not a command; did you mean ${guess}? (to scaffold into a directory of that name, write ./${word}); nothing was written`;
}

/** The bin's commands (bin/wpsn-docker.ts COMMANDS), as its help lists them. */
export const COMMAND_NAMES: readonly string[] = ['verify', 'registry', 'deploy', 'bundle', 'doctor'];

/**
 * The same refusal for `yo wpsn-docker <word>`, whose commands are other generators
 * (`yo wpsn-docker:registry`) or only the bin's (`wpsn-docker verify`).
 */
export function yoCommandTypo(word: string): string | undefined {
  if (/[\\/]/.test(word)) return undefined;
  const command = COMMAND_NAMES.includes(word) ? word : closest(word, COMMAND_NAMES);
  if (command === undefined) return undefined;
  const instead = command === 'registry' || command === 'deploy' ? `yo wpsn-docker:${command}` : `wpsn-docker ${command}`;
  const what = command === word ? `"${word}" is a command` : `"${word}" is not a command; did you mean ${command}?`;
  return `${what} (${instead}); to scaffold into a directory of that name, write ./${word}`;
}
