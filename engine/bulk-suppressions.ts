// Bulk suppressions, ESLint 9's convention (`eslint --suppress-all`): the findings a codebase has today are written to
// a file, and later runs report and fail only on findings that are not in it. ESLint keys its file by file, then rule,
// with a count; a count alone lets a new finding hide behind a fixed one, so here each rule of a file also lists the
// fingerprints of its findings (engine/fingerprint.ts), each with how many findings share it:
//
//   {
//     "version": 1,
//     "suppressions": {
//       "services/orders/src/routes/orders.ts": {
//         "missing-timeout": { "count": 1, "fingerprints": { "3f9c0a6e1b2d4c57": 1 } }
//       }
//     }
//   }
//
// Keys are sorted, so the file diffs cleanly. This module is pure: the CLI reads and writes the file.
import * as jsonc from 'jsonc-parser';
import { jsonErrorWords, lineAndColumn } from './io/syntax';
import { UserInputError, type Finding } from './types';

export const SUPPRESSIONS_FILE_NAME = 'breakwater-suppressions.json';
export const SUPPRESSIONS_FILE_VERSION = 1;

export interface RuleSuppressions {
  /** How many findings the entry suppresses: the sum of `fingerprints`, kept for readers that count like ESLint. */
  count: number;
  /** Fingerprint → how many findings of this rule in this file have it. */
  fingerprints: Record<string, number>;
}

export interface BulkSuppressions {
  version: typeof SUPPRESSIONS_FILE_VERSION;
  /** Workspace-relative file (`/`-separated) → rule id → entry. */
  suppressions: Record<string, Record<string, RuleSuppressions>>;
}

/** An entry that no current finding matches (or only in part: `count` is what is left over). */
export interface StaleSuppression {
  file: string;
  ruleId: string;
  fingerprint: string;
  count: number;
}

export function emptySuppressions(): BulkSuppressions {
  return { version: SUPPRESSIONS_FILE_VERSION, suppressions: dict() };
}

/** Parses the file's text; a broken or foreign file is a UserInputError with the file and, where known, the position. */
export function parseSuppressions(text: string, file: string): BulkSuppressions {
  const errors: jsonc.ParseError[] = [];
  const data = jsonc.parse(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0) {
    const { line, column } = lineAndColumn(text, errors[0].offset);
    throw new UserInputError(`suppressions file is not valid JSON: ${jsonErrorWords(errors[0].error)}`, file, line, column);
  }
  const fail = (what: string) => {
    throw new UserInputError(`suppressions file: ${what}; write it again with --suppress-all`, file);
  };
  if (!isObject(data)) return fail('expected an object with "version" and "suppressions"');
  if (data.version !== SUPPRESSIONS_FILE_VERSION) {
    return fail(`unsupported version ${JSON.stringify(data.version)} (this Breakwater reads version ${SUPPRESSIONS_FILE_VERSION})`);
  }
  if (!isObject(data.suppressions)) return fail('"suppressions" must be an object');
  const result = emptySuppressions();
  for (const [path, rules] of Object.entries(data.suppressions)) {
    if (!isObject(rules)) return fail(`the entry of ${path} must be an object of rules`);
    for (const [ruleId, entry] of Object.entries(rules)) {
      if (!isObject(entry) || !isObject(entry.fingerprints)) return fail(`the entry of ${ruleId} in ${path} must have "fingerprints"`);
      const fingerprints = dict<number>();
      for (const [fingerprint, count] of Object.entries(entry.fingerprints)) {
        if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) return fail(`the count of ${fingerprint} (${ruleId} in ${path}) must be a positive integer`);
        fingerprints[fingerprint] = count;
      }
      setEntry(result, path, ruleId, fingerprints);
    }
  }
  return result;
}

/** The file's text: keys sorted at every level, two-space indent, a final newline. */
export function serialiseSuppressions(suppressions: BulkSuppressions): string {
  const sorted = dict<Record<string, RuleSuppressions>>();
  for (const file of Object.keys(suppressions.suppressions).sort()) {
    const rules = suppressions.suppressions[file];
    const sortedRules = dict<RuleSuppressions>();
    for (const ruleId of Object.keys(rules).sort()) {
      const fingerprints = Object.assign(dict<number>(), Object.fromEntries(Object.entries(rules[ruleId].fingerprints).sort(([a], [b]) => compare(a, b))));
      sortedRules[ruleId] = { count: sum(fingerprints), fingerprints };
    }
    if (Object.keys(sortedRules).length > 0) sorted[file] = sortedRules;
  }
  return `${JSON.stringify({ version: SUPPRESSIONS_FILE_VERSION, suppressions: sorted }, null, 2)}\n`;
}

/**
 * `--suppress-all` (no `ruleIds`) or `--suppress-rule`: for each file and rule with findings now, the entry becomes
 * exactly those findings' fingerprints. Entries of other files and rules are kept (`--prune-suppressions` drops
 * those that no longer match). Findings already suppressed in the source are not written.
 */
export function suppressFindings(current: BulkSuppressions, findings: readonly Finding[], ruleIds?: readonly string[]): { suppressions: BulkSuppressions; written: number } {
  const grouped = new Map<string, Map<string, Record<string, number>>>();
  let written = 0;
  for (const finding of findings) {
    if (finding.suppressed?.kind === 'inline' || !finding.fingerprint) continue;
    if (ruleIds && !ruleIds.includes(finding.ruleId)) continue;
    const rules = grouped.get(finding.location.file) ?? new Map<string, Record<string, number>>();
    grouped.set(finding.location.file, rules);
    const fingerprints = rules.get(finding.ruleId) ?? dict<number>();
    rules.set(finding.ruleId, fingerprints);
    fingerprints[finding.fingerprint] = (fingerprints[finding.fingerprint] ?? 0) + 1;
    written++;
  }
  const next = clone(current);
  for (const [file, rules] of grouped) for (const [ruleId, fingerprints] of rules) setEntry(next, file, ruleId, fingerprints);
  return { suppressions: next, written };
}

/**
 * Marks the findings the file lists as suppressed (`kind: 'external'`), each entry covering as many findings with its
 * fingerprint as its count says. `inScope` says which entries this run can judge (its files and rules): the entries
 * of those left unmatched are stale.
 */
export function applyBulkSuppressions(
  suppressions: BulkSuppressions,
  findings: readonly Finding[],
  inScope: (file: string, ruleId: string) => boolean,
): { findings: Finding[]; suppressed: number; stale: StaleSuppression[] } {
  const left = new Map<string, number>();
  const key = (file: string, ruleId: string, fingerprint: string) => `${file}\u0000${ruleId}\u0000${fingerprint}`;
  for (const [file, rules] of Object.entries(suppressions.suppressions)) {
    for (const [ruleId, entry] of Object.entries(rules)) {
      for (const [fingerprint, count] of Object.entries(entry.fingerprints)) left.set(key(file, ruleId, fingerprint), count);
    }
  }
  let suppressed = 0;
  const out = findings.map((finding) => {
    if (finding.suppressed || !finding.fingerprint) return finding;
    const k = key(finding.location.file, finding.ruleId, finding.fingerprint);
    const count = left.get(k) ?? 0;
    if (count === 0) return finding;
    left.set(k, count - 1);
    suppressed++;
    return { ...finding, suppressed: { kind: 'external' as const } };
  });
  const stale: StaleSuppression[] = [];
  for (const [file, rules] of Object.entries(suppressions.suppressions)) {
    for (const [ruleId, entry] of Object.entries(rules)) {
      if (!inScope(file, ruleId)) continue;
      for (const fingerprint of Object.keys(entry.fingerprints)) {
        const count = left.get(key(file, ruleId, fingerprint)) ?? 0;
        if (count > 0) stale.push({ file, ruleId, fingerprint, count });
      }
    }
  }
  return { findings: out, suppressed, stale };
}

/** `--prune-suppressions`: the file without the stale entries (or the stale part of their counts). */
export function pruneSuppressions(suppressions: BulkSuppressions, stale: readonly StaleSuppression[]): BulkSuppressions {
  const next = clone(suppressions);
  for (const { file, ruleId, fingerprint, count } of stale) {
    const rules = Object.hasOwn(next.suppressions, file) ? next.suppressions[file] : undefined;
    const fingerprints = rules && Object.hasOwn(rules, ruleId) ? rules[ruleId].fingerprints : undefined;
    if (!fingerprints || !Object.hasOwn(fingerprints, fingerprint)) continue;
    const remaining = fingerprints[fingerprint] - count;
    if (remaining > 0) fingerprints[fingerprint] = remaining;
    else delete fingerprints[fingerprint];
    setEntry(next, file, ruleId, fingerprints);
  }
  return next;
}

/** How many findings the file suppresses in all. */
export function countSuppressions(suppressions: BulkSuppressions): number {
  let total = 0;
  for (const rules of Object.values(suppressions.suppressions)) for (const entry of Object.values(rules)) total += sum(entry.fingerprints);
  return total;
}

function setEntry(target: BulkSuppressions, file: string, ruleId: string, fingerprints: Record<string, number>): void {
  const rules = Object.hasOwn(target.suppressions, file) ? target.suppressions[file] : (target.suppressions[file] = dict());
  if (Object.keys(fingerprints).length === 0) {
    delete rules[ruleId];
    if (Object.keys(rules).length === 0) delete target.suppressions[file];
    return;
  }
  rules[ruleId] = { count: sum(fingerprints), fingerprints: Object.assign(dict<number>(), fingerprints) };
}

function clone(suppressions: BulkSuppressions): BulkSuppressions {
  const next = emptySuppressions();
  for (const [file, rules] of Object.entries(suppressions.suppressions)) {
    for (const [ruleId, entry] of Object.entries(rules)) setEntry(next, file, ruleId, entry.fingerprints);
  }
  return next;
}

function sum(fingerprints: Record<string, number>): number {
  return Object.values(fingerprints).reduce((total, count) => total + count, 0);
}

/** A map with no prototype: a key such as `__proto__` in a checked-in file is a key like any other. */
function dict<T = never>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
