// A cache of per-file facts on disk, for CI and repeated CLI runs: extraction is skipped for a file whose text has the
// same hash as last time. Keyed by content, not mtime, because a fresh checkout in CI gives every file a new mtime.
// The cache is only ever an optimisation: one that is missing, corrupt or from another Breakwater build is ignored.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileFacts } from '../extract/facts';

/** Bump when FileFacts changes shape; the build hash below also covers any change to the code that makes them. */
const FORMAT = 1;

interface CacheFile {
  key: string;
  files: Record<string, { hash: string; facts: FileFacts }>;
}

export class FactsCache {
  private readonly used: CacheFile['files'] = {};
  /** Files extracted anew this run. */
  private misses = 0;

  private constructor(
    readonly file: string,
    private readonly key: string,
    private readonly stored: CacheFile['files'],
  ) {}

  /** Loads the cache at `file`, or starts an empty one. Never throws. */
  static load(file: string): FactsCache {
    const key = cacheKey();
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
      if (parsed?.key === key && parsed.files && typeof parsed.files === 'object') return new FactsCache(file, key, parsed.files);
    } catch {
      // missing or unreadable: start empty
    }
    return new FactsCache(file, key, {});
  }

  get(relativePath: string, text: string): FileFacts | undefined {
    const entry = this.stored[relativePath];
    const hash = hashOf(text);
    if (entry?.hash === hash) {
      this.used[relativePath] = entry;
      return entry.facts;
    }
    return undefined;
  }

  set(relativePath: string, text: string, facts: FileFacts): void {
    this.used[relativePath] = { hash: hashOf(text), facts };
    this.misses++;
  }

  /** Writes the entries of this run only (files gone from the workspace drop out). Returns an error message, or undefined. */
  save(): string | undefined {
    // Every file was a hit and none went away: the file on disk already says all this, and rewriting it costs as much as reading it.
    const unchanged = this.misses === 0 && Object.keys(this.used).length === Object.keys(this.stored).length;
    if (unchanged) return undefined;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      // Written whole and renamed into place, so a run that is killed half-way never leaves a torn cache.
      const temporary = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify({ key: this.key, files: this.used } satisfies CacheFile));
      fs.renameSync(temporary, this.file);
      return undefined;
    } catch (error) {
      return `could not write the cache ${this.file}: ${(error as Error).message}`;
    }
  }
}

/** The cache location under a workspace root, where build tools keep theirs (find-cache-dir's convention). */
export function defaultCacheFile(root: string): string {
  return path.join(root, 'node_modules', '.cache', 'breakwater', 'facts.json');
}

function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

let buildKey: string | undefined;

/** The format, plus a hash of the code running now (the CLI bundle): facts made by another build are not trusted. */
function cacheKey(): string {
  if (!buildKey) {
    let code = '';
    try {
      code = fs.readFileSync(__filename, 'utf8');
    } catch {
      // no file to hash (an unusual loader): the format alone keys the cache
    }
    buildKey = `${FORMAT}:${hashOf(code)}`;
  }
  return buildKey;
}
