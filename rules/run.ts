// Runs the enabled rules over the model, with the severities and options from breakwater.json.
import Ajv, { type ValidateFunction } from 'ajv';
import type { BreakwaterConfig, RuleSetting } from '../engine/config/config';
import type { Model } from '../engine/model/types';
import { UserInputError, type Finding, type Severity } from '../engine/types';
import { ruleModules } from './index';
import type { Rule, RuleMeta } from './types';

export interface EffectiveRule {
  meta: RuleMeta;
  severity: Severity;
  options: Record<string, unknown>;
}

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true });

/** The rules to run: config severities and options, narrowed by `--rule` / widened-away by `--ignore-rule`. */
export function resolveRuleSettings(config: BreakwaterConfig, only?: string[], skip?: string[]): EffectiveRule[] {
  const known = new Set(ruleModules.map((rule) => rule.meta.id));
  for (const id of [...(only ?? []), ...(skip ?? [])]) {
    if (!known.has(id)) throw new UserInputError(`Unknown rule "${id}". Known rules: ${[...known].join(', ')}.`);
  }
  const effective: EffectiveRule[] = [];
  for (const rule of ruleModules) {
    const { id } = rule.meta;
    if (only && only.length > 0 && !only.includes(id)) continue;
    if (skip?.includes(id)) continue;
    const [setting, userOptions] = normalise(config.rules?.[id]);
    if (setting === 'off' && !(only && only.includes(id))) continue;
    const severity: Severity = setting === 'error' ? 'error' : setting === 'warn' ? 'warning' : rule.meta.defaultSeverity;
    effective.push({ meta: rule.meta, severity, options: validateOptions(rule.meta, userOptions) });
  }
  return effective;
}

export function runRules(rules: EffectiveRule[], model: Model): Finding[] {
  const findings: Finding[] = [];
  for (const { meta, severity, options } of rules) {
    const rule = ruleModules.find((candidate) => candidate.meta.id === meta.id) as Rule;
    // One report per place and message: two paths to the same call (a wrapper's aliases of one client) are one finding.
    const seen = new Set<string>();
    for (const report of rule.check({ model, options })) {
      const { file, line, column } = report.location;
      const key = `${file}:${line}:${column}:${report.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({ ruleId: meta.id, severity, ...report });
    }
  }
  return findings.sort(compareFindings);
}

function normalise(setting: RuleSetting | undefined): [('off' | 'warn' | 'error') | undefined, Record<string, unknown>] {
  if (setting === undefined) return [undefined, {}];
  if (typeof setting === 'string') return [setting, {}];
  return [setting[0], setting[1] ?? {}];
}

const validators = new Map<string, ValidateFunction>();

/** A rule's options validator, compiled once (the language server resolves settings on every edit). */
export function ruleOptionsValidator(meta: RuleMeta): ValidateFunction {
  let validate = validators.get(meta.id);
  if (!validate) {
    validate = ajv.compile(meta.optionsSchema);
    validators.set(meta.id, validate);
  }
  return validate;
}

function validateOptions(meta: RuleMeta, options: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...meta.defaultOptions, ...options };
  const validate = ruleOptionsValidator(meta);
  if (!validate(merged)) {
    const error = validate.errors?.[0];
    throw new UserInputError(`Invalid options for rule "${meta.id}"${error?.instancePath ? ` at ${error.instancePath}` : ''}: ${error?.message ?? 'invalid'}`);
  }
  return merged;
}

export function compareFindings(a: Finding, b: Finding): number {
  const byFile = a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0;
  return byFile || a.location.line - b.location.line || a.location.column - b.location.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
