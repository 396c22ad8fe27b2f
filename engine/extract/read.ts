import * as path from 'node:path';
import { ts } from 'ts-morph';
import { megabytes, readWorkspaceFile, SOURCE_FILE_LIMIT, type Warn } from '../io/read';

const LIMIT_HINT = ' (maxFileSizeMb in breakwater.json raises the limit)';

/**
 * The text of a workspace file: the editor's unsaved buffer when there is one, else the disk (a regular file inside
 * the workspace only, see engine/io/read.ts). Undefined when unreadable or larger than `maxBytes`; `warn` hears why
 * when it was refused. The limit holds for buffers too: a huge one would block the language server on every edit.
 */
export function readSource(root: string, relativePath: string, overlays?: Map<string, string>, warn?: Warn, maxBytes = SOURCE_FILE_LIMIT): string | undefined {
  const absolute = path.join(root, relativePath);
  const overlay = overlays?.get(absolute);
  if (overlay !== undefined) {
    const size = Buffer.byteLength(overlay);
    if (size <= maxBytes) return withoutBom(overlay);
    warn?.(`${relativePath} is larger than ${megabytes(maxBytes)} (${megabytes(size)}); not read${LIMIT_HINT}`, { file: relativePath });
    return undefined;
  }
  const text = readWorkspaceFile(absolute, { root, maxBytes, warn, limitHint: maxBytes < SOURCE_FILE_LIMIT ? LIMIT_HINT : undefined });
  return text === undefined ? undefined : withoutBom(text);
}

/**
 * A file's text as editors show it (no byte-order mark, so columns match), or undefined when it cannot be read.
 * Only a regular file within the size limit is read (a FIFO or device never blocks or floods the caller); `root`, when
 * given, also keeps the read inside the workspace.
 */
export function readText(absolute: string, root?: string): string | undefined {
  const text = readWorkspaceFile(absolute, { root, maxBytes: SOURCE_FILE_LIMIT });
  return text === undefined ? undefined : withoutBom(text);
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
