import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';

/** The text of a workspace file: the editor's unsaved buffer when there is one, else the disk. Undefined when unreadable. */
export function readSource(root: string, relativePath: string, overlays?: Map<string, string>): string | undefined {
  const absolute = path.join(root, relativePath);
  const overlay = overlays?.get(absolute);
  return overlay !== undefined ? withoutBom(overlay) : readText(absolute);
}

/** A file's text as editors show it (no byte-order mark, so columns match), or undefined when it cannot be read. */
export function readText(absolute: string): string | undefined {
  try {
    return withoutBom(fs.readFileSync(absolute, 'utf8'));
  } catch {
    return undefined;
  }
}

// A byte-order mark is not part of line 1: columns must match what editors show.
function withoutBom(text: string): string {
  return text.replace(/^\uFEFF/, '');
}

/**
 * The module specifiers each file imports, from TypeScript's import scanner (no parse, no walk): enough to know what
 * test files use without analysing them. Unreadable files are left out.
 */
export function readImportSpecifiers(root: string, files: string[], overlays?: Map<string, string>): Map<string, string[]> {
  const specifiers = new Map<string, string[]>();
  for (const file of files) {
    const text = readSource(root, file, overlays);
    if (text === undefined) continue;
    const scanned = ts.preProcessFile(text, true, true);
    specifiers.set(file, scanned.importedFiles.map((imported) => imported.fileName));
  }
  return specifiers;
}
