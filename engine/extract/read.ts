import * as fs from 'node:fs';
import * as path from 'node:path';

/** The text of a workspace file: the editor's unsaved buffer when there is one, else the disk. Undefined when unreadable. */
export function readSource(root: string, relativePath: string, overlays?: Map<string, string>): string | undefined {
  const absolute = path.join(root, relativePath);
  const overlay = overlays?.get(absolute);
  if (overlay !== undefined) return overlay.replace(/^\uFEFF/, '');
  try {
    // A byte-order mark is not part of line 1: columns must match what editors show.
    return fs.readFileSync(absolute, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}
