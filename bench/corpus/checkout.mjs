#!/usr/bin/env node
// Checks each pinned corpus repository out of a local git mirror into bench/corpus/repos/<owner>+<name>.
// These machines cannot clone from the internet, so the mirrors are bare git directories brought here by other means,
// one folder per repository named <owner>+<name> (holding a bare repo, or `repo/` or `repo/.git` inside it).
//
//   node bench/corpus/checkout.mjs --mirrors /path/to/mirrors [--only owner/name,...] [--force]
//   BREAKWATER_CORPUS_MIRRORS=/path/to/mirrors node bench/corpus/checkout.mjs
//
// No code of the checked-out repositories is ever run: `git archive` writes the tree, nothing else happens.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
export const corpusDir = here;
export const reposDir = path.join(here, 'repos');

export function loadRepos() {
  return JSON.parse(fs.readFileSync(path.join(here, 'repos.json'), 'utf8')).repos;
}

/** The folder a repository is checked out to: `owner/name` → repos/owner+name. */
export function checkoutDir(name) {
  return path.join(reposDir, name.replace('/', '+'));
}

function gitDirIn(mirrors, name) {
  const base = path.join(mirrors, name.replace('/', '+'));
  for (const candidate of [path.join(base, 'repo', '.git'), path.join(base, 'repo'), base]) {
    if (fs.existsSync(path.join(candidate, 'HEAD')) && fs.existsSync(path.join(candidate, 'objects'))) return candidate;
  }
  return undefined;
}

/**
 * Writes the commit's regular files under `into`. Mirrors may lack large blobs (and LFS content), which `git archive`
 * refuses; those files are left out and returned. Symlinks and submodules are not written.
 */
function writeTree(gitDir, commit, into) {
  const listing = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', commit], { maxBuffer: 256 * 1024 ** 2 });
  const blobs = [];
  for (const entry of listing.toString('utf8').split('\0')) {
    const match = /^(100644|100755) blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (match) blobs.push({ oid: match[2], file: match[3] });
  }
  const batch = execFileSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], {
    input: blobs.map((b) => b.oid).join('\n') + '\n',
    maxBuffer: 4 * 1024 ** 3,
  });
  const missing = [];
  let at = 0;
  for (const blob of blobs) {
    const headerEnd = batch.indexOf(10, at);
    const header = batch.toString('utf8', at, headerEnd);
    at = headerEnd + 1;
    if (header.endsWith(' missing')) {
      missing.push(blob.file);
      continue;
    }
    const size = Number(header.split(' ')[2]);
    const target = path.join(into, blob.file);
    if (!target.startsWith(into + path.sep)) continue; // a path that climbs out is never written
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, batch.subarray(at, at + size));
    at += size + 1;
  }
  return missing;
}

function checkout(repo, mirrors, force) {
  const into = checkoutDir(repo.name);
  const stamp = path.join(into, '.breakwater-corpus-commit');
  if (!force && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === repo.commit) {
    markAsRepository(into);
    return 'kept';
  }
  const gitDir = gitDirIn(mirrors, repo.name);
  if (!gitDir) return `no mirror at ${path.join(mirrors, repo.name.replace('/', '+'))}`;
  try {
    execFileSync('git', ['--git-dir', gitDir, 'cat-file', '-e', `${repo.commit}^{commit}`], { stdio: 'ignore' });
  } catch {
    return `the mirror has no commit ${repo.commit}`;
  }
  fs.rmSync(into, { recursive: true, force: true });
  fs.mkdirSync(into, { recursive: true });
  const missing = writeTree(gitDir, repo.commit, into);
  if (missing.length) console.warn(`${repo.name}: ${missing.length} file(s) absent from the mirror, left out: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}`);
  fs.writeFileSync(stamp, `${repo.commit}\n`);
  markAsRepository(into);
  return 'checked out';
}

/**
 * An empty `.git` makes the checkout a repository of its own, as a user's clone is: Breakwater looks for the workspace
 * root upward from the folder it is given and stops at the first `.git`, which must not be this project's own.
 */
function markAsRepository(into) {
  if (!fs.existsSync(path.join(into, '.git'))) execFileSync('git', ['init', '--quiet', into], { stdio: 'ignore' });
}

function main() {
  const { values } = parseArgs({
    options: {
      mirrors: { type: 'string' },
      only: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const mirrors = values.mirrors ?? process.env.BREAKWATER_CORPUS_MIRRORS;
  if (!mirrors) {
    console.error('Name the folder of git mirrors: --mirrors <dir> or BREAKWATER_CORPUS_MIRRORS=<dir>.');
    process.exit(2);
  }
  const only = values.only?.split(',').map((s) => s.trim());
  let failed = 0;
  for (const repo of loadRepos()) {
    if (only && !only.includes(repo.name)) continue;
    const outcome = checkout(repo, path.resolve(mirrors), values.force);
    if (outcome !== 'kept' && outcome !== 'checked out') failed++;
    console.log(`${repo.name.padEnd(45)} ${repo.commit.slice(0, 12)}  ${outcome}`);
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
