// Every write and delete Breakwater makes goes through here. A checkout can hold committed links: a `turbo.json` or a
// `node_modules` that points elsewhere would have a plain write land outside the workspace, and a plain delete remove
// someone else's files. So each folder from the one we own (the workspace root, or a cache folder the user named)
// down to the file is checked with lstat: a link anywhere on the way is refused, never followed.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A write or delete refused because a path on the way is a link or not what it should be. */
export class UnsafePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafePathError';
  }
}

/**
 * Checks each path component below `base` down to `target` (itself included) with lstat: none may be a link, and all
 * but the last must be folders. Missing ones are fine (`create` makes the folders). `base` itself is the caller's.
 */
function checkComponents(base: string, target: string, createFolders: boolean, last: 'file' | 'folder'): void {
  const relative = path.relative(base, target);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    if (relative === '' && last === 'folder') return;
    throw new UnsafePathError(`${target} is not inside ${base}`);
  }
  const parts = relative.split(path.sep);
  let current = base;
  for (const [index, part] of parts.entries()) {
    current = path.join(current, part);
    const isLast = index === parts.length - 1;
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (stat?.isSymbolicLink()) throw new UnsafePathError(`${current} is a symbolic link; not written through`);
    const wantsFolder = !isLast || last === 'folder';
    if (stat && wantsFolder && !stat.isDirectory()) throw new UnsafePathError(`${current} is not a folder`);
    if (stat && !wantsFolder && !stat.isFile()) throw new UnsafePathError(`${current} is not a regular file; not written`);
    if (!stat && wantsFolder && createFolders) makeFolder(current);
  }
}

/** Not recursive: each level was just checked. Another process may make it first; then it must be a real folder too. */
function makeFolder(folder: string): void {
  try {
    fs.mkdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const stat = fs.lstatSync(folder);
    if (stat.isSymbolicLink() || !stat.isDirectory()) throw new UnsafePathError(`${folder} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; not written through`);
  }
}

/** Makes `folder` (and the folders above it, below `base`) real folders, refusing any link on the way. */
export function ensureFolder(base: string, folder: string): void {
  checkComponents(base, folder, true, 'folder');
}

/** Whether `folder` exists below `base` with no link on the way (it is then a real folder we may work in). */
export function isRealFolder(base: string, folder: string): boolean {
  try {
    checkComponents(base, folder, false, 'folder');
    return fs.lstatSync(folder).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes `file` below `base`: folders are created as needed, no link is followed, and the text is written to a new
 * temporary file (created exclusively, so never through a link planted there) and renamed into place, which replaces
 * the name itself and never writes into what it pointed to.
 */
export function writeFileSafely(base: string, file: string, text: string): void {
  checkComponents(base, path.dirname(file), true, 'folder');
  checkComponents(base, file, false, 'file');
  const temporary = `${file}.${process.pid}.tmp`;
  fs.rmSync(temporary, { force: true }); // a leftover of a killed run with our pid (a link there is removed, not followed)
  fs.writeFileSync(temporary, text, { flag: 'wx' });
  try {
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** Removes a regular file below `base`; a link, a folder or a path through a link is left alone. */
export function removeFileSafely(base: string, file: string): void {
  checkComponents(base, file, false, 'file');
  fs.rmSync(file, { force: true });
}

/**
 * Removes a real folder below `base` and what it holds. Links inside are removed as links (fs.rm never follows them),
 * so nothing outside the folder is touched.
 */
export function removeFolderSafely(base: string, folder: string): void {
  checkComponents(base, folder, false, 'folder');
  if (folder === base) throw new UnsafePathError(`refusing to remove ${base} itself`);
  fs.rmSync(folder, { recursive: true, force: true });
}
