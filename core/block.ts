// A managed block inside a file the user may own, such as .gitignore: the generator
// owns only the lines between its markers and leaves the rest as it is.

const BEGIN = '# >>> generator-wpsn-docker (managed block; edit outside it)';
const END = '# <<< generator-wpsn-docker';

/** The block's lines without the markers, or undefined when the file has none. */
export function extractBlock(content: string | undefined): string | undefined {
  if (content === undefined) return undefined;
  const start = content.indexOf(BEGIN);
  if (start === -1) return undefined;
  const bodyStart = start + BEGIN.length + 1;
  const end = content.indexOf(END, bodyStart);
  if (end === -1) return undefined;
  return content.slice(bodyStart, end);
}

/** Puts the block into the file: replaced in place, or appended after the user's lines. */
export function mergeBlock(content: string | undefined, block: string): string {
  const wrapped = `${BEGIN}\n${block}${END}\n`;
  if (content === undefined || content === '') return wrapped;
  const start = content.indexOf(BEGIN);
  const end = start === -1 ? -1 : content.indexOf(END, start);
  if (start !== -1 && end !== -1) {
    let after = end + END.length;
    if (content[after] === '\n') after += 1;
    return content.slice(0, start) + wrapped + content.slice(after);
  }
  return `${content}${content.endsWith('\n') ? '' : '\n'}\n${wrapped}`;
}
