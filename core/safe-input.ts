// Limits on what a run reads from files it does not trust (an --answers file, a cloned
// project's .yo-rc.json): how deep their values nest, which keys they may use, how large
// they may be. Each breach is an input error naming the file, never a crash.
import type { Problem } from './errors.ts';

/** Deeper than any answer needs (the spec nests four levels): a guard against stack overflows. */
export const MAX_DEPTH = 32;

/** Keys that mean something to JavaScript objects: refused rather than silently dropped. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Walks a parsed value without recursion and reports nesting deeper than MAX_DEPTH and
 * keys such as __proto__ (which a merge would take for the object's prototype).
 */
export function structureProblems(value: unknown, source: string, prefix = ''): Problem[] {
  const problems: Problem[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: prefix, depth: 0 }];
  let deep = false;
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= MAX_DEPTH) {
      if (!deep) problems.push({ field: item.path || '(root)', source, rule: `nests deeper than ${MAX_DEPTH} levels: no answer needs that; fix or remove the file` });
      deep = true;
      continue;
    }
    for (const key of Object.keys(item.value)) {
      const path = item.path ? `${item.path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) {
        problems.push({ field: path, source, rule: `the key "${key}" is not allowed (it means something to JavaScript objects, not to the stack spec)` });
        continue;
      }
      stack.push({ value: (item.value as Record<string, unknown>)[key], path, depth: item.depth + 1 });
    }
  }
  return problems;
}
