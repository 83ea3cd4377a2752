// Putting values into shell text (generated scripts and the command blocks of generated
// documents). Every value that reaches shell text goes through one of these, whatever its
// schema allows today: a later, wider alphabet must not turn a value into a command.

/** Single-quotes a value for bash: nothing inside is special. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Characters that mean nothing to bash in an unquoted word (no globs, no expansions, no "~" or "="-prefix tricks at the start). */
const PLAIN_WORD = /^[A-Za-z0-9_./:@%+,-][A-Za-z0-9_./:@%+,=-]*$/;

/**
 * Bash's reserved words that PLAIN_WORD lets through. As an argument bash reads them as plain
 * text, but in command position they are syntax, and shellcheck flags them anywhere (SC1010
 * for a database named `do`), so they are quoted too.
 */
const RESERVED_WORDS = new Set(['case', 'coproc', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'function', 'if', 'in', 'select', 'then', 'time', 'until', 'while']);

/**
 * A value as one shell word, readable where that is safe: plain when every character is
 * inert (names, paths, image references, URLs without brackets) and it is not a reserved
 * word, single-quoted otherwise.
 */
export function shellWord(value: string | number): string {
  const text = String(value);
  return text !== '' && PLAIN_WORD.test(text) && !RESERVED_WORDS.has(text) ? text : shellQuote(text);
}
