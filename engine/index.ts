// The engine's public API. The CLI and the language server both call this, so they report the same findings.
//
//   discover ──► extract (per file) ──► link (across files) ──► model ──► rules ──► findings
//
import * as path from 'node:path';
import { loadConfig, type BreakwaterConfig } from './config/config';
import { discoverLayout, type WorkspaceLayout } from './discover/workspace';
import { listSourceFiles } from './discover/files';
import { extractFile, type FileFacts } from './extract/extract';
import { readSource } from './extract/read';
import { buildModel } from './link/link';
import { createCatalog } from './catalog';
import { runRules, resolveRuleSettings, type EffectiveRule } from '../rules/run';
import { applySuppressions } from './suppressions';
import type { Model } from './model/types';
import type { Finding } from './types';

export * from './types';
export type { Model, ClientEntity, OutboundCall, TimeoutVerdict, CallKind } from './model/types';
export type { BreakwaterConfig } from './config/config';
export { allRules } from '../rules';

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
}

export interface AnalysisResult {
  root: string;
  configFile?: string;
  layout: WorkspaceLayout;
  model: Model;
  /** Every finding, suppressed ones included (they carry `suppressed`), sorted by file, line, column, rule. */
  findings: Finding[];
  /** The rules that ran, with their effective severity. */
  rules: EffectiveRule[];
  stats: { files: number; parsedFiles: number; durationMs: number };
}

/** Analyses the workspace at `root` once. Throws UserInputError for a broken config. */
export async function analyse(root: string, options: AnalyseOptions = {}): Promise<AnalysisResult> {
  return new Analysis(root, options).run();
}

/**
 * An analysis that can be re-run after edits. Per-file facts are kept by content, so `update()` re-extracts only
 * the files that changed; linking and rules are cheap queries over those facts.
 */
export class Analysis {
  readonly root: string;
  private readonly factsByPath = new Map<string, { text: string; facts: FileFacts }>();
  private configFile?: string;
  private config: BreakwaterConfig;

  constructor(root: string, private readonly options: AnalyseOptions = {}) {
    this.root = path.resolve(root);
    if (options.config) {
      this.config = options.config;
    } else {
      const loaded = loadConfig(this.root, options.configFile);
      this.config = loaded.config;
      this.configFile = loaded.file;
    }
  }

  run(): AnalysisResult {
    const started = performance.now();
    const layout = discoverLayout(this.root, this.config);
    const files = listSourceFiles(this.root, layout, this.config, { includeTests: this.options.includeTests });
    const catalog = createCatalog(this.config.clients ?? []);
    const facts: FileFacts[] = [];
    let parsedFiles = 0;
    const seen = new Set<string>();
    files.forEach((entry, index) => {
      seen.add(entry.path);
      const text = readSource(this.root, entry.path, this.options.overlays);
      if (text === undefined) return;
      const cached = this.factsByPath.get(entry.path);
      let fileFacts: FileFacts;
      if (cached && cached.text === text) {
        fileFacts = cached.facts;
      } else {
        fileFacts = extractFile(entry.path, text);
        if (fileFacts.parsed) parsedFiles++;
        this.factsByPath.set(entry.path, { text, facts: fileFacts });
      }
      facts.push(fileFacts);
      this.options.onProgress?.(index + 1, files.length);
    });
    for (const known of [...this.factsByPath.keys()]) if (!seen.has(known)) this.factsByPath.delete(known);

    const model = buildModel({ root: this.root, layout, files, facts, catalog, overlays: this.options.overlays });
    const rules = resolveRuleSettings(this.config, this.options.onlyRules, this.options.skipRules);
    const findings = applySuppressions(runRules(rules, model), facts);
    return {
      root: this.root,
      configFile: this.configFile,
      layout,
      model,
      findings,
      rules,
      stats: { files: files.length, parsedFiles, durationMs: Math.round(performance.now() - started) },
    };
  }

  /** Re-analyses after edits. `overlays` replaces the unsaved buffers; files whose text did not change are not re-extracted. */
  update(overlays?: Map<string, string>): AnalysisResult {
    if (overlays) this.options.overlays = overlays;
    return this.run();
  }
}
