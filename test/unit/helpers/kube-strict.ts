// kubernetes-models validates types, formats and required fields, but (like the API
// server without strict field validation) accepts unknown fields: a misspelt
// `readOnlyRootFileSystem` would pass and be silently dropped by a cluster. This reads the
// property names of every interface in the package's TypeScript declarations and reports
// each key an object has that its Kubernetes type does not.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './build.ts';

/** Interface name (as the declarations alias it, IIoK8s...) -> property name -> type text. */
type Index = Map<string, Map<string, string>>;

let index: Index | undefined;

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.d.ts')) out.push(path);
  }
}

function build(): Index {
  const files: string[] = [];
  for (const pkg of ['kubernetes-models', '@kubernetes-models/apimachinery']) {
    const root = join(REPO_ROOT, 'node_modules', pkg);
    for (const name of readdirSync(root)) {
      if (name === '_schemas' || name === 'node_modules') continue;
      const path = join(root, name);
      if (statSync(path).isDirectory()) walk(path, files);
    }
  }
  const result: Index = new Map();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const iface = /export interface (I\w+)(?: extends [\w, ]+)? \{\n([\s\S]*?)\n\}/.exec(text);
    const alias = /export type \{ (I\w+) as (IIoK8s\w+)/.exec(text);
    if (!iface || !alias || alias[1] !== iface[1]) continue;
    const props = new Map<string, string>();
    // Top-level properties only: four spaces of indentation.
    for (const m of iface[2]!.matchAll(/^ {4}"([^"]+)"\??: (.+?);?$/gm)) props.set(m[1]!, m[2]!.replace(/;$/, ''));
    result.set(alias[2]!, props);
  }
  return result;
}

/** The Kubernetes type of a top-level object, by apiVersion and kind. */
export function rootType(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const groupPart = group === 'core' ? 'Core' : group!.split('.')[0]!.replace(/^\w/, (c) => c.toUpperCase());
  return `IIoK8sApi${groupPart}${version!.replace(/^\w/, (c) => c.toUpperCase())}${kind}`;
}

/** Every key of `value` its type does not declare, as JSON-pointer-like paths. */
export function unknownFields(value: unknown, type: string, path = ''): string[] {
  index ??= build();
  const props = index.get(type);
  if (!props) {
    if (/^IIoK8s/.test(type) && !/Quantity|IntOrString|Time|MicroTime|Duration|RawExtension|FieldsV1/.test(type)) {
      return [`${path || '/'}: no declaration found for ${type}`];
    }
    return [];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const problems: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const at = `${path}/${key}`;
    const childType = props.get(key);
    if (childType === undefined) {
      problems.push(`${at}: not a field of ${type}`);
      continue;
    }
    const single = /^(IIoK8s\w+)$/.exec(childType);
    const list = /^Array<(IIoK8s\w+)>$/.exec(childType);
    if (single) problems.push(...unknownFields(child, single[1]!, at));
    else if (list && Array.isArray(child)) child.forEach((item, i) => problems.push(...unknownFields(item, list[1]!, `${at}/${i}`)));
  }
  return problems;
}

/** The number of interfaces read (a sanity check that the declarations were found). */
export function declarationCount(): number {
  index ??= build();
  return index.size;
}
