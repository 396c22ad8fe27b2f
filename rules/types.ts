// What a rule is: metadata plus a query over the model. A rule never parses files or walks an AST.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Model } from '../engine/model/types';
import type { Finding, RelatedLocation, Severity, SourceLocation } from '../engine/types';

/**
 * Where the rule docs will be published on the web, ending in `/`, once they are (e.g.
 * `https://github.com/<owner>/breakwater/blob/main/docs/rules/`). Set it and every `docsUrl`, SARIF's `helpUri` and
 * `informationUri` point there. Until then there is no public page, so every link is to the copy of the page that
 * ships in the npm package and the .vsix (docs/rules/), which works offline.
 */
export const PUBLIC_DOCS_BASE_URL: string | undefined = undefined;

/**
 * docs/rules/ of the installed package. This module runs from rules/ (sources, tests) or inside a bundle in dist/
 * (CLI, engine, server, the .vsix's server): both are one folder below the package root.
 */
export const RULE_DOCS_FOLDER = path.join(__dirname, '..', 'docs', 'rules');

/** The rule's page: its public URL when there is one, else a file: URL of the page in the installed package. */
export function ruleDocsUrl(id: string, base: string | undefined = PUBLIC_DOCS_BASE_URL): string {
  return base ? `${base}${id}.md` : pathToFileURL(path.join(RULE_DOCS_FOLDER, `${id}.md`)).href;
}

export interface RuleMeta {
  /** Stable public ID, e.g. `missing-timeout`. */
  id: string;
  /** One line for `--help`, SARIF and the docs index. */
  description: string;
  /** The rule's documentation: `ruleDocsUrl(id)`, a file: URL of docs/rules/<id>.md in the package until the docs are public. */
  docsUrl: string;
  defaultSeverity: Severity;
  fixable: boolean;
  /** JSON schema of the options object (the second element of `[severity, options]`). */
  optionsSchema: Record<string, unknown>;
  defaultOptions: Record<string, unknown>;
}

export interface RuleReport {
  message: string;
  location: SourceLocation;
  service?: string;
  related?: RelatedLocation[];
}

export interface RuleContext<Options> {
  model: Model;
  options: Options;
}

export interface Rule<Options = Record<string, unknown>> {
  meta: RuleMeta;
  check(context: RuleContext<Options>): RuleReport[];
}

export type { Finding };
