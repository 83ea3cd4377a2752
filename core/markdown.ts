// Putting values into Markdown (README.Docker.md, WORKSHOP.md): a value inside inline
// code must not end the code span early (a backtick in a start command once did).

/**
 * `text` as one inline code span: fenced by more backticks than the longest run inside
 * it, padded with a space where it starts or ends with a backtick (CommonMark strips one
 * space from each side of such a span). In a table cell (`cell`), "|" is escaped as GitHub
 * requires even inside code.
 */
export function inlineCode(text: string, options: { cell?: boolean } = {}): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  const body = options.cell ? text.replaceAll('|', '\\|') : text;
  return `${fence}${pad}${body}${pad}${fence}`;
}
