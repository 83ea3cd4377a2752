// What every renderer returns: a file's path, content and how a re-run treats it. Types only.

/**
 * - generated: tracked by hash; updated when untouched, a conflict when edited.
 * - starter: the sample app; updated when untouched, kept quietly when edited (it is the user's app now).
 * - block: a marked block inside a file the user may own (.gitignore); only the block is managed.
 */
export type FileKind = 'generated' | 'starter' | 'block';

export interface RenderedFile {
  path: string;
  content: string;
  kind: FileKind;
  /** File mode, for executable scripts. */
  mode?: number;
}
