// The shipped code's modules form no import cycle: the pipeline reads downwards (schema ->
// services and targets -> core model -> renderers -> plan -> writer -> bin and generators),
// and a module never needs one that needs it back. Type-only imports count too: a cycle of
// types is a cycle of concepts. Found by reading the import lines, not by loading anything.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.ts';

const ROOTS = ['schema', 'core', 'services', 'targets', 'bin', 'generators'];

function sources(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Every relative import (static or dynamic, type-only included) of each source file. */
export function importGraph(root = REPO_ROOT): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = ROOTS.flatMap((r) => sources(join(root, r)));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const deps = new Set<string>();
    for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+\.ts)'/gm)) {
      deps.add(relative(root, resolve(dirname(file), match[1]!)).split(sep).join('/'));
    }
    graph.set(relative(root, file).split(sep).join('/'), [...deps].sort());
  }
  return graph;
}

/** The cycles of a graph, each once, as the list of files around it (Tarjan's strongly connected components). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indexOf.has(v)) visit(v);
  return out;
}

describe('the import graph of the shipped code', () => {
  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('reads the real import lines of the project', () => {
    const graph = importGraph();
    expect(graph.get('core/project.ts')).toContain('core/plan.ts');
    expect(graph.size).toBeGreaterThan(40);
  });

  it('has no cycle', () => {
    expect(cycles(importGraph()).map((c) => c.join(' -> '))).toEqual([]);
  });
});
