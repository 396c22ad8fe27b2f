// A cache of per-file facts on disk, for CI and repeated CLI runs: extraction is skipped for a file whose text has the
// same hash as last time. Keyed by content, not mtime, because a fresh checkout in CI gives every file a new mtime.
// One small file per source file, read only when that source is: a big workspace never parses (or holds in memory) one
// huge cache, and a run writes only what changed. The cache is only ever an optimisation: an entry that is missing,
// corrupt or from another Breakwater build is ignored.
//
// The cache folder usually sits in the workspace (node_modules/.cache), which a checkout controls: every write and
// delete goes through engine/io/write.ts (no link followed on the way), and the cache only ever deletes in folders it
// made itself, as its marker file shows. When a link is in the way, the run goes on without the cache.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileFacts } from '../extract/facts';
import { readWorkspaceFile, SOURCE_FILE_LIMIT } from '../io/read';
import { ensureFolder, isRealFolder, removeFileSafely, removeFolderSafely, UnsafePathError, writeFileSafely } from '../io/write';

/** Bump when FileFacts changes shape; the build hash below also covers any change to the code that makes them. */
const FORMAT = 10;
/** Build folders are named so, and hold a marker file: only such folders are ever removed (a user may pick any folder). */
const BUILD_FOLDER_PREFIX = 'breakwater-facts-';
const MARKER = '.breakwater-cache';
/** The names this cache gives its entries: the only files it removes. */
const ENTRY_FILE = /^[0-9a-f]{24}\.json$/;

interface Entry {
  path: string;
  hash: string;
  facts: FileFacts;
}

export class FactsCache {
  /** This build's folder: entries of other builds sit in other folders and are removed on save. */
  private readonly folder: string;
  private readonly used = new Set<string>();
  private readonly fresh: Entry[] = [];

  /** Why the cache is not used (a link on the way to it), once worked out. */
  private problem?: string;
  private readable?: boolean;

  /**
   * `location` is the cache folder (`--cache-location`); nothing is read until a file's facts are asked for. `owner`
   * is the folder whose contents we own: no link is followed below it (for the default location, the workspace root,
   * so a committed `node_modules` link is refused; for a folder the user names, that folder).
   */
  constructor(
    readonly location: string,
    private readonly owner: string = location,
  ) {
    this.folder = path.join(location, `${BUILD_FOLDER_PREFIX}${buildKey()}`);
  }

  get(relativePath: string, text: string): FileFacts | undefined {
    const file = this.entryFile(relativePath);
    this.used.add(path.basename(file));
    // Only from a real folder this cache made (its marker is there), never through a link.
    this.readable ??= isRealFolder(this.owner, this.folder) && isRegularFile(path.join(this.folder, MARKER));
    if (!this.readable) return undefined;
    try {
      const entry = JSON.parse(readWorkspaceFile(file, { root: this.folder, maxBytes: SOURCE_FILE_LIMIT }) ?? '') as Entry;
      if (entry?.path === relativePath && entry.hash === hashOf(text) && entry.facts) return entry.facts;
    } catch {
      // not cached yet, or unreadable: extract again
    }
    return undefined;
  }

  set(relativePath: string, text: string, facts: FileFacts): void {
    this.used.add(path.basename(this.entryFile(relativePath)));
    this.fresh.push({ path: relativePath, hash: hashOf(text), facts });
  }

  /**
   * Writes the entries extracted this run, and removes those of files that are gone and of other builds. Returns an
   * error message, or undefined.
   */
  save(): string | undefined {
    if (this.problem) return this.problem;
    try {
      // A folder the user names is theirs to have made anywhere; below the workspace, each level is checked.
      if (this.owner === this.location) fs.mkdirSync(this.location, { recursive: true });
      else ensureFolder(this.owner, this.location);
      this.ensureBuildFolder();
      for (const entry of this.fresh) {
        // Written whole and renamed into place, so a run that is killed half-way never leaves a torn entry.
        writeFileSafely(this.folder, this.entryFile(entry.path), JSON.stringify(entry));
      }
      // Entries of files that are gone: only regular files named as this cache names them. Temporary files are
      // another run's writes in progress (runs may share a cache).
      for (const entry of fs.readdirSync(this.folder, { withFileTypes: true })) {
        if (entry.isFile() && ENTRY_FILE.test(entry.name) && !this.used.has(entry.name)) removeFileSafely(this.folder, path.join(this.folder, entry.name));
      }
      // Other builds' folders: real folders (not links) that hold this cache's marker.
      for (const entry of fs.readdirSync(this.location, { withFileTypes: true })) {
        const other = path.join(this.location, entry.name);
        if (entry.isDirectory() && entry.name.startsWith(BUILD_FOLDER_PREFIX) && other !== this.folder && isRegularFile(path.join(other, MARKER))) {
          removeFolderSafely(this.location, other);
        }
      }
      return undefined;
    } catch (error) {
      this.problem =
        error instanceof UnsafePathError
          ? `the cache was not used: ${error.message}`
          : `could not write the cache in ${this.location}: ${(error as Error).message}`;
      return this.problem;
    }
  }

  /**
   * This build's folder: made here with the marker, or found with it; a folder there without it is not ours. It is
   * made under another name, marked, and renamed into place, so a run sharing the cache never sees it unmarked; a
   * rename onto a link fails rather than follows it.
   */
  private ensureBuildFolder(): void {
    if (!fs.existsSync(this.folder) && !isSymbolicLink(this.folder)) {
      const staging = path.join(this.location, `.breakwater-staging-${path.basename(this.folder)}-${process.pid}`);
      fs.rmSync(staging, { recursive: true, force: true }); // a leftover of a killed run (a link is removed, not followed)
      fs.mkdirSync(staging);
      fs.writeFileSync(path.join(staging, MARKER), 'Made by breakwater check --cache; removed when a newer Breakwater runs.\n', { flag: 'wx' });
      try {
        fs.renameSync(staging, this.folder);
      } catch {
        fs.rmSync(staging, { recursive: true, force: true }); // another run made it first
      }
    }
    if (!isRealFolder(this.location, this.folder)) throw new UnsafePathError(`${this.folder} is a symbolic link or not a folder; not written through`);
    if (!isRegularFile(path.join(this.folder, MARKER))) throw new UnsafePathError(`${this.folder} was not made by Breakwater (no ${MARKER} in it)`);
  }

  private entryFile(relativePath: string): string {
    return path.join(this.folder, `${hashOf(relativePath).slice(0, 24)}.json`);
  }
}

/** The cache folder under a workspace root, where build tools keep theirs (find-cache-dir's convention). */
export function defaultCacheLocation(root: string): string {
  return path.join(root, 'node_modules', '.cache', 'breakwater');
}

function isSymbolicLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A regular file, not a link to one. */
function isRegularFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return false;
  }
}

function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

let key: string | undefined;

/**
 * The format, plus a hash of the code running now: facts made by another build are not trusted. In a bundle
 * (dist/cli.js) that is the bundle; run from the sources, it is the extractor's own files.
 */
function buildKey(): string {
  if (!key) {
    const extractor = path.join(__dirname, '..', 'extract');
    const files = __filename.endsWith('.ts') && fs.existsSync(extractor) ? fs.readdirSync(extractor).map((name) => path.join(extractor, name)) : [__filename];
    let code = '';
    for (const file of files) {
      try {
        code += fs.readFileSync(file, 'utf8');
      } catch {
        // no file to hash (an unusual loader): the format alone keys the cache
      }
    }
    key = `${FORMAT}-${hashOf(code).slice(0, 16)}`;
  }
  return key;
}
