// Resolves import specifiers to workspace files with TypeScript's own module resolution (the same answer `tsc` gives:
// `.js` naming `.ts`, tsconfig `paths` and `extends`, package `exports`), plus workspace package names mapped to their
// folders so that it works before `npm install`.
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { WorkspaceLayout } from '../discover/workspace';
import { displayPath, readWorkspaceFile, type Warn } from '../io/read';

export type ResolvedModule = { kind: 'file'; path: string } | { kind: 'package'; name: string; subpath: string } | { kind: 'unresolved' };

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export class ModuleResolver {
  private readonly optionsByDirectory = new Map<string, ts.CompilerOptions>();
  private readonly cache = new Map<string, ResolvedModule>();
  private readonly resolutionCache: ts.ModuleResolutionCache;
  private readonly host: ts.ModuleResolutionHost;

  constructor(
    private readonly root: string,
    private readonly layout: WorkspaceLayout,
    /** Workspace-relative paths of the files being analysed. */
    private readonly analysed: Set<string>,
    overlays?: Map<string, string>,
    /** Hears of a tsconfig (or one it `extends`) that is there but was not read. */
    private readonly warn?: Warn,
  ) {
    this.resolutionCache = ts.createModuleResolutionCache(root, (name) => name);
    this.host = {
      fileExists: (file) => overlays?.has(file) || ts.sys.fileExists(file),
      // package.json files the resolver probes, in the workspace only; a refusal is no news (most are dependencies').
      readFile: (file) => overlays?.get(file) ?? readWorkspaceFile(file, { root }),
      realpath: ts.sys.realpath,
      directoryExists: ts.sys.directoryExists,
      getCurrentDirectory: () => root,
    };
  }

  /** `fromFile` is workspace-relative. */
  resolve(fromFile: string, specifier: string): ResolvedModule {
    const key = `${path.posix.dirname(fromFile)}\0${specifier}`;
    let resolved = this.cache.get(key);
    if (!resolved) {
      resolved = this.resolveUncached(fromFile, specifier);
      this.cache.set(key, resolved);
    }
    return resolved;
  }

  private resolveUncached(fromFile: string, specifier: string): ResolvedModule {
    const containing = path.join(this.root, fromFile);
    const options = this.compilerOptionsFor(path.dirname(containing));
    const result = ts.resolveModuleName(specifier, containing, options, this.host, this.resolutionCache).resolvedModule;
    const inWorkspace = result && this.toAnalysedFile(result.resolvedFileName);
    if (inWorkspace) return { kind: 'file', path: inWorkspace };
    const viaPackage = this.resolveWorkspacePackage(specifier);
    if (viaPackage) return { kind: 'file', path: viaPackage };
    if (isBareSpecifier(specifier)) {
      const [name, subpath] = splitPackageSpecifier(specifier);
      return { kind: 'package', name, subpath };
    }
    return { kind: 'unresolved' };
  }

  /** A resolved file counts when it is one we analyse; a `.d.ts` or compiled `.js` maps back to its `.ts` source. */
  private toAnalysedFile(absolute: string): string | undefined {
    const relative = path.relative(this.root, absolute).split(path.sep).join('/');
    if (relative.startsWith('..')) return undefined;
    if (this.analysed.has(relative)) return relative;
    const stem = relative.replace(/(\.d)?\.[mc]?[jt]sx?$/, '');
    for (const extension of SOURCE_EXTENSIONS) if (this.analysed.has(stem + extension)) return stem + extension;
    return undefined;
  }

  /** `@org/orders-client/http` → the workspace package's folder, even with no node_modules. */
  private resolveWorkspacePackage(specifier: string): string | undefined {
    if (!isBareSpecifier(specifier)) return undefined;
    const [name, subpath] = splitPackageSpecifier(specifier);
    const workspacePackage = this.layout.packages.find((candidate) => candidate.name === name);
    if (!workspacePackage) return undefined;
    const folder = workspacePackage.root === '.' ? '' : `${workspacePackage.root}/`;
    const stems = subpath ? [`${folder}${subpath}`, `${folder}src/${subpath}`] : [`${folder}src/index`, `${folder}index`, `${folder}lib/index`];
    for (const stem of stems) {
      for (const extension of SOURCE_EXTENSIONS) {
        if (this.analysed.has(stem + extension)) return stem + extension;
        if (this.analysed.has(`${stem}/index${extension}`)) return `${stem}/index${extension}`;
      }
    }
    return undefined;
  }

  /** The compiler options of the nearest tsconfig.json (with `extends` followed); lenient module resolution otherwise. */
  private compilerOptionsFor(directory: string): ts.CompilerOptions {
    const cached = this.optionsByDirectory.get(directory);
    if (cached) return cached;
    let options: ts.CompilerOptions;
    const inside = !path.relative(this.root, directory).startsWith('..');
    const configFile = inside ? CONFIG_NAMES.map((name) => path.join(directory, name)).find((file) => ts.sys.fileExists(file)) : undefined;
    if (configFile) {
      const parsed = this.parseConfig(configFile);
      options = { ...(parsed?.options ?? {}) };
      // A solution-style tsconfig.json (`files: []`, `references` to tsconfig.app.json …): the paths live in a reference.
      if (!options.paths) {
        for (const reference of parsed?.projectReferences ?? []) {
          const referenced = ts.sys.directoryExists(reference.path) ? path.join(reference.path, 'tsconfig.json') : reference.path;
          const inner = ts.sys.fileExists(referenced) ? this.parseConfig(referenced)?.options : undefined;
          if (inner?.paths) {
            options = { ...options, paths: inner.paths, ...(inner.baseUrl && { baseUrl: inner.baseUrl }), ...(inner.pathsBasePath !== undefined && { pathsBasePath: inner.pathsBasePath }) };
            break;
          }
        }
      }
    } else if (inside && directory !== this.root && path.dirname(directory) !== directory) {
      options = this.compilerOptionsFor(path.dirname(directory));
    } else {
      options = {};
    }
    // Bundler resolution accepts every style real code uses: extensionless, `.js` for `.ts`, package exports.
    options = { ...options, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext, allowJs: true, resolveJsonModule: false };
    this.optionsByDirectory.set(directory, options);
    return options;
  }

  /** A tsconfig and what it `extends`, read through engine/io/read.ts: a link out of the workspace is not followed. */
  private parseConfig(configFile: string): ts.ParsedCommandLine | undefined {
    const readFile = (file: string) => readWorkspaceFile(file, { root: this.root, warn: this.warn });
    const host: ts.ParseConfigHost = {
      ...ts.sys,
      readFile,
      // We only want the compiler options; listing the project's files would walk the whole tree again.
      readDirectory: () => [],
    };
    const read = ts.readConfigFile(configFile, readFile);
    // TypeScript reads past syntax errors and stops at an `extends` cycle; either way the options may be wrong, so say where.
    if (read.error) this.warnConfig(configFile, read.error, 'read as far as it parses');
    const parsed = read.config ? ts.parseJsonConfigFileContent(read.config, host, path.dirname(configFile), undefined, configFile) : undefined;
    const cycle = parsed?.errors.find((error) => error.code === CIRCULAR_EXTENDS);
    if (cycle) this.warnConfig(configFile, cycle, 'its `extends` chain is not followed');
    return parsed;
  }

  private warnConfig(configFile: string, diagnostic: ts.Diagnostic, consequence: string): void {
    const shown = displayPath(configFile, this.root);
    const position = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    // TypeScript names files by absolute path; inside the workspace, root-relative reads better and is the same on every machine.
    const words = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ').split(`${this.root}${path.sep}`).join('');
    const at = position ? ` at ${position.line + 1}:${position.character + 1}` : '';
    this.warn?.(`${shown}: ${words.replace(/\.$/, '')}${at}; ${consequence}`, { file: shown, ...(position && { line: position.line + 1, column: position.character + 1 }) });
  }
}

/** TypeScript's "Circularity detected while resolving configuration". */
const CIRCULAR_EXTENDS = 18000;

/**
 * The config that compiles a folder's code: tsconfig.json, else the app, build or lib config that Next.js, Nx and Vite
 * projects keep beside it (an app whose only config is tsconfig.app.json must not take the root's `paths`).
 */
const CONFIG_NAMES = ['tsconfig.json', 'tsconfig.app.json', 'tsconfig.build.json', 'tsconfig.lib.json', 'tsconfig.server.json'];

export function isBareSpecifier(specifier: string): boolean {
  return !specifier.startsWith('.') && !specifier.startsWith('/') && !/^[a-z]+:/i.test(specifier.replace(/^node:/, ''));
}

export function splitPackageSpecifier(specifier: string): [name: string, subpath: string] {
  const parts = specifier.split('/');
  const count = specifier.startsWith('@') ? 2 : 1;
  return [parts.slice(0, count).join('/'), parts.slice(count).join('/')];
}
