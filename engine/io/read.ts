// Every read of a workspace file goes through here. A repository may be hostile or careless: a FIFO in place of
// `.env` would block a plain read forever, a committed link to /dev/zero would fill memory, and a link to /etc would
// read outside the workspace. So a read succeeds only for a regular file whose real path is inside the workspace and
// whose size is within a limit; anything else gives undefined and, where the user should know, a warning that names
// the file and says why.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Data files (.env, compose, manifests, package.json, tsconfig, breakwater.json) are small; a bigger one is not data. */
export const DATA_FILE_LIMIT = 4 * 1024 * 1024;
/** Source files: a memory guard only, and the most `maxFileSizeMb` in breakwater.json may allow. */
export const SOURCE_FILE_LIMIT = 64 * 1024 * 1024;
/**
 * Source files analysed by default (`maxFileSizeMb`): hand-written modules are far smaller, and a generated bundle of
 * 50 MB took 19 s and 3 GB to parse. A larger file is skipped with a warning that names it.
 */
export const DEFAULT_SOURCE_MB = 2;

/** Told about a file that was not read, or not understood: the message, and where (`file` relative to the root). */
export type Warn = (message: string, where?: { file: string; line?: number; column?: number }) => void;

export interface ReadOptions {
  /** The workspace root: the file's real path must be inside it. Undefined only for a file the user named (`--config`). */
  root?: string;
  /** Bytes; DATA_FILE_LIMIT by default. */
  maxBytes?: number;
  /** Told why a file that exists was not read. Missing files and folders are not worth a warning. */
  warn?: Warn;
  /** Added to the warning for a file over the limit: how to raise it. */
  limitHint?: string;
}

/** Why a file cannot be read safely, or undefined when it can; `missing` when there is nothing there (no warning). */
export type Refusal = { reason: 'missing' } | { reason: 'refused'; message: string; file?: string };

/**
 * The text of a workspace file (UTF-8, byte-order mark kept), or undefined when it is missing, not a regular file,
 * outside the workspace after resolving links, or larger than the limit.
 */
export function readWorkspaceFile(file: string, options: ReadOptions = {}): string | undefined {
  const result = tryReadWorkspaceFile(file, options);
  if (typeof result === 'string') return result;
  if (result.reason === 'refused') options.warn?.(result.message, result.file === undefined ? undefined : { file: result.file });
  return undefined;
}

/** As readWorkspaceFile, but returns the refusal instead of warning (for callers that report it as an error). */
export function tryReadWorkspaceFile(file: string, options: ReadOptions = {}): string | Refusal {
  const limit = options.maxBytes ?? DATA_FILE_LIMIT;
  const shown = displayPath(file, options.root);
  // Where a notice places the refusal: a path inside the workspace, else nowhere.
  const place = options.root !== undefined && !path.isAbsolute(shown) ? shown : undefined;
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return { reason: 'missing' }; // absent, or a dangling link: nothing to read
  }
  if (options.root !== undefined && !isInside(realRoot(options.root), real)) {
    return refused(place, `${shown} links outside the workspace (to ${real}); not read`);
  }
  let fd: number | undefined;
  try {
    // O_NONBLOCK: opening a FIFO must never wait for a writer. O_NOFOLLOW: the real path has no link left in it,
    // unless one was put there since; then refuse rather than follow. fstat then checks what was actually opened.
    fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0));
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) return { reason: 'missing' }; // a folder named like a file (a Python venv called .env)
    if (!stat.isFile()) return refused(place, `${shown} is not a regular file (${kindOf(stat)}); not read`);
    if (stat.size > limit) return refused(place, `${shown} is larger than ${megabytes(limit)} (${megabytes(stat.size)}); not read${options.limitHint ?? ''}`);
    // Read at most one byte past the limit, whatever the size said: a file that grows while read stays bounded.
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, limit) + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = fs.readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
    if (length > limit) return refused(place, `${shown} is larger than ${megabytes(limit)}; not read${options.limitHint ?? ''}`);
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return { reason: 'missing' };
    return refused(place, `${shown} cannot be read (${code ?? (error as Error).message}); not read`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * The entries of a workspace folder. Links are listed as what they are (`isSymbolicLink()`, never `isDirectory()`), so
 * a walk that enters only `isDirectory()` entries does not enter `k8s -> /etc`. With `root`, a folder whose real path
 * is outside it lists nothing. Empty when it cannot be listed.
 */
export function listWorkspaceFolder(dir: string, root?: string): fs.Dirent[] {
  try {
    if (root !== undefined && !isInside(realRoot(root), fs.realpathSync(dir))) return [];
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** A file's path as a warning shows it: relative to the workspace root when it is inside. */
export function displayPath(file: string, root?: string): string {
  if (root === undefined) return file;
  const relative = path.relative(root, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

/** Whether `file` (a real path) is `root` or below it. */
export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

const realRoots = new Map<string, string>();

/** The root with its own links resolved (`/tmp` is a link on macOS): links above the workspace are the user's. */
export function realRoot(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    try {
      real = fs.realpathSync(root);
    } catch {
      real = path.resolve(root);
    }
    realRoots.set(root, real);
  }
  return real;
}

function refused(file: string | undefined, message: string): Refusal {
  return { reason: 'refused', message, ...(file === undefined ? {} : { file }) };
}

/** What a file that is not regular is, in words (from fstat, lstat or a directory entry). */
export function kindOf(stat: Pick<fs.Stats, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a file';
}

export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}
