// YAML output: typed objects serialised with `yaml`, every string double-quoted, so YAML
// 1.1 readers cannot turn "22:22" into a base-60 number or "no" into false.
import { Document, isScalar, parse, visit } from 'yaml';

/** A word starting with a letter or "_", of letters, digits, "_" and "-": no YAML syntax in it. */
const PLAIN_WORD = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/**
 * Of those words, the only ones that YAML 1.1 or 1.2 (core schema) resolve to something
 * other than a string: booleans, nulls, and YAML 1.1's floats without a mantissa (e5).
 * Numbers, dates and base-60 values start with a digit, a sign or a dot.
 */
const WORD_NOT_A_STRING = /^(?:[Yy]|[Yy]es|YES|[Nn]|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF|[Nn]ull|NULL|[eE][-+]?[0-9]+)$/;

/** Reads a plain scalar back under YAML 1.1 and 1.2: the definition the fast path must agree with. */
export function plainReadsBackAsOther(text: string): boolean {
  try {
    return parse(text, { version: '1.1', logLevel: 'error' }) !== text || parse(text, { version: '1.2', logLevel: 'error' }) !== text;
  } catch {
    return true;
  }
}

/**
 * Whether a plain scalar would not read back as this string under YAML 1.1 or 1.2 (yes,
 * on, 0x1f, 22:22, ~ ...). Plain words (every key the generator itself writes, and most
 * names) are decided by a pattern, without starting YAML's parser (~10 ms, and about
 * 0.1 ms a key); anything else is parsed both ways.
 */
export function plainIsAmbiguous(text: string): boolean {
  if (PLAIN_WORD.test(text)) return WORD_NOT_A_STRING.test(text);
  return plainReadsBackAsOther(text);
}

export function stringifyYaml(value: unknown, header?: string, edit?: (doc: Document) => void): string {
  // No anchors and aliases (&a1 / *a1) for objects the renderers share: every file reads
  // plainly, top to bottom.
  const doc = new Document(value, { aliasDuplicateObjects: false });
  // Keys stay plain for readability, except user-chosen names (networks, volumes) that a
  // YAML 1.1 reader would take for a boolean or a number, such as a network named "yes".
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && plainIsAmbiguous(pair.key.value)) pair.key.type = 'QUOTE_DOUBLE';
    },
  });
  if (header) doc.commentBefore = header;
  // A renderer's own touch on the nodes (a Compose merge tag such as `!override`).
  edit?.(doc);
  return doc.toString({ defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
}

/** Environment values as Compose reads them literally: it interpolates `$VAR`, and `$$` is a literal `$`. */
export function literalDollars(environment: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, value.replaceAll('$', '$$$$')]));
}
