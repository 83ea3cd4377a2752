// Templates compiled ahead of time. From source (tsc, tests) this map is empty and
// core/templates.ts compiles each template with ejs on first use. scripts/bundle.ts
// replaces this module in the bundle with every template under templates/, compiled by
// ejs at build time with the same options, so a run compiles none (~10 ms of start-up).

/** The function ejs compiles a template into: (locals, escapeFn, include, rethrow) => text. */
export type CompiledTemplate = (
  locals: Record<string, unknown>,
  escapeFn: (text: unknown) => string,
  include: (path: string, data?: Record<string, unknown>) => string,
  /** text: undefined when compiled ahead of time (read from templates/ when needed); filename: templates/<name>. */
  rethrow: (error: Error, text: string | undefined, filename: string, line: number, escapeFn: (text: unknown) => string) => never,
) => string;

/** Template name (path under templates/) -> its compiled function. */
export const COMPILED_TEMPLATES: ReadonlyMap<string, CompiledTemplate> = new Map();
