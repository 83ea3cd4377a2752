// A project held in memory for the detection (core/detect): files by relative path; folders
// are the prefixes of their paths.
import type { ProjectReader } from '../../../core/detect/index.ts';

export function memoryReader(files: Readonly<Record<string, string>>): ProjectReader {
  const paths = Object.keys(files);
  return {
    read: (path) => files[path],
    exists: (path) => path in files || paths.some((p) => p.startsWith(`${path}/`)),
    list: (path) => [...new Set(paths.filter((p) => p.startsWith(`${path}/`)).map((p) => p.slice(path.length + 1).split('/')[0]!))].sort(),
  };
}
