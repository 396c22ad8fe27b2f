// The engine's public API. The CLI and the language server both call this, so they report the same findings.
//
//   discover ──► extract (per file) ──► link (across files) ──► model ──► rules ──► findings
//
import * as path from 'node:path';
import { loadConfig, type BreakwaterConfig } from './config/config';
import { discoverLayout, type WorkspaceLayout } from './discover/workspace';
import { listSourceFiles, listTestFiles } from './discover/files';
import { emptyFacts, extractFile, type FileFacts } from './extract/extract';
import { isStackOverflow, LargeStackExtractor } from './extract/deep';
import { readImportSpecifiers, readSource } from './extract/read';
import { buildModel } from './link/link';
import { describeImports, type ImportDescriptionCache } from './link/module-graph';
import { ModuleResolver } from './link/modules';
import { importGraph } from './link/import-graph';
import type { FactsCache } from './cache/facts-cache';
import { readDeployEnvironment } from './discover/environment';
import { createCatalog } from './catalog';
import { runRules, resolveRuleSettings, type EffectiveRule } from '../rules/run';
import { applySuppressions } from './suppressions';
import { ruleModules } from '../rules';
import { addFingerprints } from './fingerprint';
import type { Model } from './model/types';
import type { Finding, Notice, SourceFileEntry } from './types';
import { DEFAULT_SOURCE_MB, SOURCE_FILE_LIMIT, type Warn } from './io/read';

export * from './types';
export type { Model, ClientEntity, OutboundCall, TimeoutVerdict, TimeoutFix, CallKind } from './model/types';
export type { BreakwaterConfig } from './config/config';
export { allRules } from '../rules';
export { FactsCache, defaultCacheLocation } from './cache/facts-cache';
export { findWorkspaceRoot, ROOT_MARKERS, type WorkspaceRoot } from './discover/root';

export interface AnalyseOptions {
  /** A config file to use instead of `breakwater.json` in the root. */
  configFile?: string;
  /** Config already loaded (the language server keeps the last good one). Wins over `configFile`. */
  config?: BreakwaterConfig;
  /** Run only these rules (`--rule`). */
  onlyRules?: string[];
  /** Never run these rules (`--ignore-rule`). */
  skipRules?: string[];
  /** Analyse test files too. */
  includeTests?: boolean;
  /** Unsaved editor buffers: absolute path → text, read instead of the disk. */
  overlays?: Map<string, string>;
  /** Called as files are extracted, for progress display. */
  onProgress?: (done: number, total: number) => void;
  /** Facts of unchanged files from an earlier run (`breakwater check --cache`). The caller saves it. */
  cache?: FactsCache;
  /**
   * Have dependency-cruiser describe how each cross-service import resolves (`crossServiceImports[].dependencyTypes`).
   * Off by default: no rule or report uses it, and loading dependency-cruiser (with its own copy of TypeScript) took a
   * third of a 1,000-file check.
   */
  describeImports?: boolean;
  /** Also list who calls which function (`model.functionCalls`), for per-project inputs. */
  callGraph?: boolean;
  /** Report inline disable directives that suppress nothing, as notices on their files (ESLint's option). */
  reportUnusedDisableDirectives?: boolean;
}

/** Per run: progress, and a signal that stops the run (it then rejects with the signal's reason). */
export interface RunOptions {
  onProgress?: (done: number, total: number) => void;
  /** When given, the run also yields to the event loop every few milliseconds so an abort (or other work) can get in. */
  signal?: AbortSignal;
}

/** Every rule id: a directive naming any other is reported. */
const allRuleIds = ruleModules.map((rule) => rule.meta.id);

/** How long a cancellable run works before it lets the event loop in. */
const YIELD_EVERY_MS = 20;

export interface AnalysisResult {
  root: string;
  configFile?: string;
  /** The config in force. */
  config: BreakwaterConfig;
  layout: WorkspaceLayout;
  model: Model;
  /** Every finding, suppressed ones included (they carry `suppressed`), sorted by file, line, column, rule. */
  findings: Finding[];
  /** The rules that ran, with their effective severity. */
  rules: EffectiveRule[];
  /** Problems that did not stop the analysis, e.g. a file that could not be read: the messages of `notices`. */
  warnings: string[];
  /** The same problems with the file (and position) each is about, for reports that show them on the file. */
  notices: Notice[];
  stats: { files: number; parsedFiles: number; durationMs: number };
  /**
   * Set by a front end that applied a bulk-suppressions file (`check --suppress-all`) to `findings`: the file (as
   * shown to the user), how many findings it suppressed and how many of its entries matched nothing.
   */
  bulkSuppressions?: { file: string; suppressed: number; stale: number };
  /** Each analysed file → the workspace files it imports (root-relative paths). Worked out on the first call. */
  importGraph(): ReadonlyMap<string, readonly string[]>;
}

/** Analyses the workspace at `root` once. Throws UserInputError for a broken config. */
export async function analyse(root: string, options: AnalyseOptions = {}): Promise<AnalysisResult> {
  return new Analysis(root, options).run();
}

/** A file that changed since the last run: new text (an unsaved buffer), `undefined` to re-read the disk, `null` when deleted. */
export interface FileChange {
  /** Absolute, or relative to the workspace root. */
  path: string;
  text?: string | null;
}

/** Files whose change can change which services and files there are, or how imports resolve. */
const LAYOUT_FILES = /(^|\/)(package\.json|pnpm-workspace\.yaml|project\.json|nx\.json|tsconfig[^/]*\.json|\.gitignore|docker-compose[^/]*\.ya?ml|compose\.ya?ml|Dockerfile|breakwater\.json|\.breakwaterrc\.json)$/;

const SOURCE_FILE = /\.[mc]?[jt]sx?$/;

/**
 * An analysis that can be re-run after edits. Per-file facts are kept with the text they came from, so `update()`
 * re-extracts only the files that changed; linking and rules are cheap queries over those facts.
 */
export class Analysis {
  readonly root: string;
  private readonly facts = new Map<string, { text: string; facts: FileFacts }>();
  private readonly overlays: Map<string, string>;
  private configFile?: string;
  private config: BreakwaterConfig;
  private layout?: WorkspaceLayout;
  private files?: SourceFileEntry[];
  /** What each test file imports (test files are not analysed): for the modules only tests use. Read with the file list. */
  private testImports?: Map<string, string[]>;
  /** Problems that did not stop the analysis (a file that could not be read or parsed). */
  private warnings: Notice[] = [];
  /** Kept between runs until the layout changes: import resolutions, and dependency-cruiser's view of unchanged files. */
  private resolver?: ModuleResolver;
  private readonly importDescriptions: ImportDescriptionCache = new Map();
  /** Environment variables from compose, Kubernetes and .env files: read again when one of those (any non-source file) changes. */
  private environment?: ReturnType<typeof readDeployEnvironment>;
  /**
   * Data files that are there but were not read (a FIFO, a link out of the workspace, too large: engine/io/read.ts),
   * kept as long as what read them: the layout, the deploy environment, the import resolver.
   */
  private layoutWarnings: Notice[] = [];
  private environmentWarnings: Notice[] = [];
  private resolverWarnings: Notice[] = [];
  /** Started only when a file overflows the stack, stopped at the end of each run. */
  private largeStack?: LargeStackExtractor;

  constructor(root: string, private readonly options: AnalyseOptions = {}) {
    this.root = path.resolve(root);
    this.overlays = new Map(options.overlays ?? []);
    if (options.config) {
      this.config = options.config;
    } else {
      const loaded = loadConfig(this.root, options.configFile);
      this.config = loaded.config;
      this.configFile = loaded.file;
    }
  }

  /** Larger source files are skipped with a warning (`maxFileSizeMb`). */
  private get maxSourceBytes(): number {
    return Math.min(SOURCE_FILE_LIMIT, Math.round((this.config.maxFileSizeMb ?? DEFAULT_SOURCE_MB) * 1024 * 1024));
  }

  /** The text a file's facts were extracted from (workspace-relative path), or undefined before it was analysed. */
  textOf(relativePath: string): string | undefined {
    return this.facts.get(relativePath)?.text;
  }

  /** The config in force (the language server keeps the last good one when breakwater.json breaks). */
  get configuration(): BreakwaterConfig {
    return this.config;
  }

  /** `onProgress` overrides the option of the same name for this run. */
  async run({ onProgress = this.options.onProgress, signal }: RunOptions = {}): Promise<AnalysisResult> {
    const started = performance.now();
    signal?.throwIfAborted();
    if (!this.layout || !this.files) {
      const warn = collect((this.layoutWarnings = []));
      this.layout = discoverLayout(this.root, this.config, warn);
      this.files = listSourceFiles(this.root, this.layout, this.config, { includeTests: this.options.includeTests, warn });
      this.testImports = this.options.includeTests ? new Map() : readImportSpecifiers(this.root, listTestFiles(this.root, this.layout, this.config, this.files), this.overlays);
      this.resolver = undefined;
      this.environment = undefined;
      this.importDescriptions.clear();
    }
    const { layout, files } = this;
    const catalog = createCatalog(this.config.clients ?? []);
    const facts: FileFacts[] = [];
    let parsedFiles = 0;
    const listed = new Set<string>();
    let lastYield = performance.now();
    try {
      for (const [index, entry] of files.entries()) {
        if (signal && performance.now() - lastYield > YIELD_EVERY_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          signal.throwIfAborted();
          lastYield = performance.now();
        }
        listed.add(entry.path);
        let known = this.facts.get(entry.path);
        if (!known) {
          let refusal: string | undefined;
          const text = readSource(this.root, entry.path, this.overlays, (message) => (refusal = message), this.maxSourceBytes);
          if (text === undefined) {
            this.warnings.push({ message: refusal ?? `Cannot read ${entry.path}`, file: entry.path, level: 'warning' });
            continue;
          }
          const cached = this.options.cache?.get(entry.path, text);
          const warningsBefore = this.warnings.length;
          known = { text, facts: cached ?? (await this.extract(entry.path, text)) };
          if (!cached) {
            parsedFiles++;
            // A file that failed extraction is not cached, so its warning shows again next run.
            if (this.warnings.length === warningsBefore) this.options.cache?.set(entry.path, text, known.facts);
          }
          this.facts.set(entry.path, known);
        }
        facts.push(known.facts);
        onProgress?.(index + 1, files.length);
      }
    } finally {
      this.largeStack?.close();
    }
    for (const stale of [...this.facts.keys()]) if (!listed.has(stale)) this.facts.delete(stale);

    signal?.throwIfAborted();
    if (!this.environment) {
      this.environment = readDeployEnvironment(this.root, layout, collect((this.environmentWarnings = [])));
    }
    const environment = this.environment;
    if (!this.resolver) {
      this.resolver = new ModuleResolver(this.root, layout, new Set(facts.map((file) => file.path)), this.overlays, collect((this.resolverWarnings = [])));
    }
    const model = buildModel({ root: this.root, layout, files, facts, catalog, overlays: this.overlays, environment, databases: this.config.databases ?? {}, resolver: this.resolver, callGraph: this.options.callGraph, testImports: this.testImports });
    if (this.options.describeImports) {
      const problems: string[] = [];
      await describeImports(this.root, model.crossServiceImports, problems, this.importDescriptions, (file) => this.facts.get(file)?.text);
      for (const message of problems) this.warnings.push({ message, level: 'warning' });
    }
    const rules = resolveRuleSettings(this.config, this.options.onlyRules, this.options.skipRules);
    const syntaxWarnings = facts.flatMap((file): Notice[] =>
      file.syntaxErrors
        ? [
            {
              message: `${file.path} has ${file.syntaxErrors} syntax error(s)${file.firstSyntaxError ? ` (the first: ${file.firstSyntaxError.message})` : ''}; analysed what could be parsed`,
              file: file.path,
              line: file.firstSyntaxError?.line,
              column: file.firstSyntaxError?.column,
              level: 'warning',
            },
          ]
        : [],
    );
    const directives = applySuppressions(runRules(rules, model), facts, {
      knownRules: allRuleIds,
      ranRules: new Set(rules.map((rule) => rule.meta.id)),
      reportUnused: this.options.reportUnusedDisableDirectives,
    });
    const findings = addFingerprints(directives.findings, (file) => this.facts.get(file));
    const resolver = this.resolver;
    // A file read twice (compose files: by discovery and for the environment) is reported once.
    const notices = uniqueNotices([...this.layoutWarnings, ...this.environmentWarnings, ...this.resolverWarnings, ...this.warnings, ...syntaxWarnings, ...directives.notices]);
    let imports: Map<string, string[]> | undefined;
    return {
      root: this.root,
      configFile: this.configFile,
      config: this.config,
      layout,
      model,
      findings,
      rules,
      warnings: notices.map((notice) => notice.message),
      notices,
      stats: { files: files.length, parsedFiles, durationMs: Math.round(performance.now() - started) },
      importGraph: () => (imports ??= withLoadedByName(importGraph(facts, resolver), model.loadedByName)),
    };
  }

  /**
   * Re-analyses after edits. Only the changed files are read and parsed again; a change to a package.json, tsconfig,
   * .gitignore or breakwater.json re-discovers the workspace layout (and reloads the config) first.
   */
  update(changes: FileChange[], options: RunOptions = {}): Promise<AnalysisResult> {
    let layoutChanged = false;
    for (const change of changes) {
      const absolute = path.resolve(this.root, change.path);
      const relative = path.relative(this.root, absolute).split(path.sep).join('/');
      if (typeof change.text === 'string') this.overlays.set(absolute, change.text);
      else this.overlays.delete(absolute);
      this.facts.delete(relative);
      if (!SOURCE_FILE.test(relative)) this.environment = undefined;
      if (change.text === null || LAYOUT_FILES.test(relative) || !this.files?.some((file) => file.path === relative)) layoutChanged = true;
    }
    if (layoutChanged) {
      if (!this.options.config) {
        const loaded = loadConfig(this.root, this.options.configFile);
        this.config = loaded.config;
        this.configFile = loaded.file;
      }
      this.layout = undefined;
      this.files = undefined;
    }
    this.warnings = [];
    return this.run(options);
  }

  /**
   * Parsing never stops the analysis: a file that breaks extraction is reported as a warning and skipped. A file
   * nested too deep for this thread's stack is extracted again on a large stack (engine/extract/deep.ts).
   */
  private async extract(relativePath: string, text: string): Promise<FileFacts> {
    try {
      try {
        return extractFile(relativePath, text);
      } catch (error) {
        if (!isStackOverflow(error)) throw error;
        return await (this.largeStack ??= new LargeStackExtractor()).extract(relativePath, text);
      }
    } catch (error) {
      this.warnings.push({ message: `Could not analyse ${relativePath}: ${(error as Error).message}`, file: relativePath, level: 'error' });
      return emptyFacts(relativePath);
    }
  }
}

/** A `warn` callback that keeps each warning, with its place, in `list`. */
function collect(list: Notice[]): Warn {
  return (message, where) => void list.push({ message, ...where, level: 'warning' });
}

/** One notice per message: the first one (with its place) wins. */
function uniqueNotices(notices: Notice[]): Notice[] {
  const seen = new Set<string>();
  return notices.filter((notice) => !seen.has(notice.message) && (seen.add(notice.message), true));
}

/** Modules loaded by a computed `require(…)` are imports too, as far as evaluation resolved them. */
function withLoadedByName(graph: Map<string, string[]>, loaded: Model['loadedByName']): Map<string, string[]> {
  for (const { from, to } of loaded) graph.set(from, [...new Set([...(graph.get(from) ?? []), to])].sort());
  return graph;
}
