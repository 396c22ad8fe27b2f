// What a rule is: metadata plus a query over the model. A rule never parses files or walks an AST.
import type { Model } from '../engine/model/types';
import type { Finding, RelatedLocation, Severity, SourceLocation } from '../engine/types';

/** Where rule docs are published; the same pages live in docs/rules/ of this repository. */
export const DOCS_BASE_URL = 'https://github.com/breakwater-dev/breakwater/blob/main/docs/rules/';

export interface RuleMeta {
  /** Stable public ID, e.g. `missing-timeout`. */
  id: string;
  /** One line for `--help`, SARIF and the docs index. */
  description: string;
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
