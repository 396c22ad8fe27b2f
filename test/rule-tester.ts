// A RuleTester in the spirit of ESLint's: tables of valid and invalid cases, each a small workspace of one or more
// files, run through the engine's public API (`analyse`) exactly as the CLI runs it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyse } from '../engine';

export interface ExpectedFinding {
  /** Defaults to the case's only (or first) source file. */
  file?: string;
  line: number;
  column?: number;
  /** A substring (or pattern) the message must contain. */
  message?: string | RegExp;
  /** Places the finding's related locations must include, as `file:line`. */
  related?: string[];
}

export interface RuleCase {
  name: string;
  /** Workspace files by relative path. A lone source file gets a `package.json` of its own, so it is one service. */
  files: Record<string, string>;
  /** Options of the rule under test, as in `breakwater.json`. */
  options?: Record<string, unknown>;
  /** Other breakwater.json settings. */
  config?: Record<string, unknown>;
}

export interface InvalidCase extends RuleCase {
  errors: ExpectedFinding[];
}

export function runRuleTests(ruleId: string, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(ruleId, () => {
    describe('valid', () => {
      for (const testCase of cases.valid) {
        it(testCase.name, async () => {
          const findings = await findingsFor(ruleId, testCase);
          assert.deepEqual(findings.map(describeFinding), [], 'expected no findings');
        });
      }
    });
    describe('invalid', () => {
      for (const testCase of cases.invalid) {
        it(testCase.name, async () => {
          const findings = await findingsFor(ruleId, testCase);
          const defaultFile = Object.keys(testCase.files).find((file) => /\.[mc]?[jt]sx?$/.test(file));
          assert.equal(findings.length, testCase.errors.length, `expected ${testCase.errors.length} finding(s), got:\n${findings.map(describeFinding).join('\n')}`);
          testCase.errors.forEach((expected, i) => {
            const actual = findings[i];
            assert.equal(actual.location.file, expected.file ?? defaultFile, `finding ${i + 1}: file`);
            assert.equal(actual.location.line, expected.line, `finding ${i + 1}: line (${describeFinding(actual)})`);
            if (expected.column !== undefined) assert.equal(actual.location.column, expected.column, `finding ${i + 1}: column`);
            if (typeof expected.message === 'string') assert.ok(actual.message.includes(expected.message), `finding ${i + 1}: message "${actual.message}" lacks "${expected.message}"`);
            if (expected.message instanceof RegExp) assert.match(actual.message, expected.message);
            for (const place of expected.related ?? []) {
              const places = (actual.related ?? []).map((entry) => `${entry.location.file}:${entry.location.line}`);
              assert.ok(places.includes(place), `finding ${i + 1}: related locations ${places.join(', ')} lack ${place}`);
            }
            assert.equal(actual.ruleId, ruleId);
          });
        });
      }
    });
  });
}

async function findingsFor(ruleId: string, testCase: RuleCase) {
  const root = writeWorkspace(testCase, ruleId);
  try {
    const result = await analyse(root, { onlyRules: [ruleId] });
    return result.findings.filter((finding) => !finding.suppressed);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export function writeWorkspace(testCase: RuleCase, ruleId?: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-case-'));
  const files = { ...testCase.files };
  if (!Object.keys(files).some((file) => file.endsWith('package.json'))) files['package.json'] = JSON.stringify({ name: 'svc', scripts: { start: 'node index.js' } });
  if (testCase.options || testCase.config) {
    const config = { ...(testCase.config ?? {}) } as Record<string, unknown>;
    if (testCase.options && ruleId) config.rules = { ...((config.rules as object) ?? {}), [ruleId]: ['warn', testCase.options] };
    files['breakwater.json'] = JSON.stringify(config, null, 2);
  }
  for (const [file, text] of Object.entries(files)) {
    const absolute = path.join(root, file);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, text);
  }
  return root;
}

function describeFinding(finding: { location: { file: string; line: number; column: number }; message: string }): string {
  return `${finding.location.file}:${finding.location.line}:${finding.location.column} ${finding.message}`;
}

/** An expected finding given by the text it starts at, instead of a line and column. */
export interface At {
  /** Defaults to the case's first source file. */
  file?: string;
  /** The text the finding starts at. */
  at: string;
  /** Which occurrence of `at` (0: the first). */
  nth?: number;
  message?: string | RegExp;
  related?: string[];
}

const SOURCE = /\.[mc]?[jt]sx?$/;

/** Turns `{ at: 'axios.get(' }` into the line and column where that text starts. */
export function locateAt(files: Record<string, string>, expected: At[]): ExpectedFinding[] {
  return expected.map(({ file, at, nth = 0, message, related }) => {
    const path = file ?? Object.keys(files).find((name) => SOURCE.test(name))!;
    const text = files[path];
    if (text === undefined) throw new Error(`no file ${path}`);
    let index = -1;
    for (let i = 0; i <= nth; i++) {
      index = text.indexOf(at, index + 1);
      if (index < 0) throw new Error(`"${at}" (#${nth}) is not in ${path}`);
    }
    const before = text.slice(0, index).split('\n');
    return { file: path, line: before.length, column: before[before.length - 1].length + 1, ...(message !== undefined && { message }), ...(related && { related }) };
  });
}

/** An invalid case whose expected findings are given by the text they start at. */
export const invalidCase = (testCase: RuleCase & { errors: At[] }): InvalidCase => ({ ...testCase, errors: locateAt(testCase.files, testCase.errors) });

/** An npm workspace: `services/<name>` are services (start script), `libs/<name>` are shared libraries `@acme/<name>`. */
export function monorepo(files: Record<string, string>): Record<string, string> {
  const all: Record<string, string> = { 'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['services/*', 'libs/*'] }) };
  for (const file of Object.keys(files)) {
    const match = /^(services|libs)\/([^/]+)\//.exec(file);
    if (!match) continue;
    const [, container, name] = match;
    all[`${container}/${name}/package.json`] =
      container === 'services'
        ? JSON.stringify({ name, private: true, scripts: { start: 'node dist/main.js' } })
        : JSON.stringify({ name: `@acme/${name}`, version: '1.0.0', main: 'dist/index.js' });
  }
  return { ...all, ...files };
}
