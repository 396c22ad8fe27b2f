// Where a workspace starts, given a folder or file inside it: `breakwater check services/orders` and an editor opened
// on one service both analyse the whole workspace, since a service's findings depend on the code around it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tryReadWorkspaceFile } from '../io/read';
import { isDirectory } from './workspace';

/** What makes a folder a workspace root, in the order they are looked for in each folder. */
export const ROOT_MARKERS = ['breakwater.json', '.breakwaterrc.json', 'pnpm-workspace.yaml', 'nx.json', 'turbo.json', 'package.json (workspaces)', '.git'] as const;

export interface WorkspaceRoot {
  /** The folder to analyse from. */
  root: string;
  /** Why it is the root (one of ROOT_MARKERS), or undefined when no folder above had a marker: then it is the start. */
  marker?: (typeof ROOT_MARKERS)[number];
}

/**
 * The nearest folder at or above `start` (a folder, or a file's folder) that is a workspace root: it has a
 * breakwater.json, pnpm-workspace.yaml, nx.json, a root turbo.json (not a package's, which `extends` the root's), a
 * package.json with `workspaces`, or `.git` (a repository's top, or a submodule's). With none up to the file system's
 * root, `start` itself. Only those names are looked at; package.json and turbo.json are read as data, and not through
 * a link that leaves their folder.
 */
export function findWorkspaceRoot(start: string): WorkspaceRoot {
  const absolute = path.resolve(start);
  const first = isDirectory(absolute) ? absolute : path.dirname(absolute);
  for (let folder = first; ; folder = path.dirname(folder)) {
    const marker = markerOf(folder);
    if (marker) return { root: folder, marker };
    if (path.dirname(folder) === folder) return { root: first };
  }
}

function markerOf(folder: string): WorkspaceRoot['marker'] {
  if (exists(folder, 'breakwater.json')) return 'breakwater.json';
  if (exists(folder, '.breakwaterrc.json')) return '.breakwaterrc.json';
  if (exists(folder, 'pnpm-workspace.yaml')) return 'pnpm-workspace.yaml';
  if (exists(folder, 'nx.json')) return 'nx.json';
  if (exists(folder, 'turbo.json') && !extendsAnother(readJson(folder, 'turbo.json'))) return 'turbo.json';
  if (exists(folder, 'package.json') && hasWorkspaces(readJson(folder, 'package.json'))) return 'package.json (workspaces)';
  if (exists(folder, '.git')) return '.git';
  return undefined;
}

function exists(folder: string, name: string): boolean {
  try {
    fs.lstatSync(path.join(folder, name));
    return true;
  } catch {
    return false;
  }
}

function readJson(folder: string, name: string): unknown {
  const text = tryReadWorkspaceFile(path.join(folder, name), { root: folder });
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
}

/** A package's turbo.json (`"extends": ["//"]`) configures one package of a workspace whose root is further up. */
function extendsAnother(config: unknown): boolean {
  return !!config && typeof config === 'object' && 'extends' in config;
}

/** npm and yarn workspaces: `"workspaces": [...]` or `{ "packages": [...] }`. */
function hasWorkspaces(manifest: unknown): boolean {
  if (!manifest || typeof manifest !== 'object' || !('workspaces' in manifest)) return false;
  const workspaces = (manifest as { workspaces: unknown }).workspaces;
  return Array.isArray(workspaces) || (!!workspaces && typeof workspaces === 'object' && Array.isArray((workspaces as { packages?: unknown }).packages));
}
