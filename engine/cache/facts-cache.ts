// A cache of per-file facts on disk, for CI and repeated CLI runs: extraction is skipped for a file whose text has the
// same hash as last time. Keyed by content, not mtime, because a fresh checkout in CI gives every file a new mtime.
// One small file per source file, read only when that source is: a big workspace never parses (or holds in memory) one
// huge cache, and a run writes only what changed. The cache is only ever an optimisation: an entry that is missing,
// corrupt or from another Breakwater build is ignored.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileFacts } from '../extract/facts';

/** Bump when FileFacts changes shape; the build hash below also covers any change to the code that makes them. */
const FORMAT = 8;
/** Build folders are named so, and hold a marker file: only such folders are ever removed (a user may pick any folder). */
const BUILD_FOLDER_PREFIX = 'breakwater-facts-';
const MARKER = '.breakwater-cache';

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

  /** `location` is the cache folder (`--cache-location`); nothing is read until a file's facts are asked for. */
  constructor(readonly location: string) {
    this.folder = path.join(location, `${BUILD_FOLDER_PREFIX}${buildKey()}`);
  }

  get(relativePath: string, text: string): FileFacts | undefined {
    const file = this.entryFile(relativePath);
    this.used.add(path.basename(file));
    try {
      const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as Entry;
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
    try {
      fs.mkdirSync(this.folder, { recursive: true });
      fs.writeFileSync(path.join(this.folder, MARKER), '');
      for (const entry of this.fresh) {
        // Written whole and renamed into place, so a run that is killed half-way never leaves a torn entry.
        const file = this.entryFile(entry.path);
        fs.writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(entry));
        fs.renameSync(`${file}.${process.pid}.tmp`, file);
      }
      // Entries of files that are gone. Temporary files are another run's writes in progress (runs may share a cache).
      for (const name of fs.readdirSync(this.folder)) if (name.endsWith('.json') && !this.used.has(name)) fs.rmSync(path.join(this.folder, name), { force: true });
      for (const name of fs.readdirSync(this.location)) {
        const other = path.join(this.location, name);
        if (name.startsWith(BUILD_FOLDER_PREFIX) && other !== this.folder && fs.existsSync(path.join(other, MARKER))) fs.rmSync(other, { recursive: true, force: true });
      }
      return undefined;
    } catch (error) {
      return `could not write the cache in ${this.location}: ${(error as Error).message}`;
    }
  }

  private entryFile(relativePath: string): string {
    return path.join(this.folder, `${hashOf(relativePath).slice(0, 24)}.json`);
  }
}

/** The cache folder under a workspace root, where build tools keep theirs (find-cache-dir's convention). */
export function defaultCacheLocation(root: string): string {
  return path.join(root, 'node_modules', '.cache', 'breakwater');
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
