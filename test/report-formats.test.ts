// The CI formats, each checked against what its consumer parses: the XML formats by a strict XML parser (sax) and
// XML 1.0's character rules, then their structure (checkstyle's file/error, JUnit's testsuites/testsuite/testcase);
// the GitHub format by a copy of the runner's own workflow-command parser; compact by the problem matcher GitHub's
// and VS Code's docs give for it; JSON by schema/report.schema.json and by ESLint's own formatters. Then the CLI.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import type { AnalysisResult, Finding, Notice } from '../engine';
import { formatNames, formatters } from '../engine/report';
import { formatCheckstyle } from '../engine/report/checkstyle';
import { formatCompact } from '../engine/report/compact';
import { formatGithub } from '../engine/report/github';
import { formatJson } from '../engine/report/json';
import { formatJunit } from '../engine/report/junit';
import { bin, buildIfMissing, repo } from './cli-process';

// sax is in node_modules through @vscode/vsce (xml2js); it is the strict XML parser used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sax = require('sax') as {
  parser(strict: boolean): {
    onerror: (error: Error) => void;
    onopentag: (node: { name: string; attributes: Record<string, string> }) => void;
    onclosetag: (name: string) => void;
    ontext: (text: string) => void;
    write(text: string): { close(): void };
  };
};

// ---------------------------------------------------------------------------------------------------------------
// Consumers' parsers.

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses a whole document strictly; throws on anything not well-formed, including characters XML 1.0 forbids. */
function parseXml(text: string): XmlElement {
  assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'), 'an XML declaration first');
  // XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF], literally or as a reference.
  const forbidden = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
  assert.doesNotMatch(text, forbidden, 'only characters XML 1.0 allows');
  for (const [, hex, dec] of text.matchAll(/&#(?:x([0-9a-fA-F]+)|([0-9]+));/g)) {
    const char = String.fromCodePoint(hex ? parseInt(hex, 16) : Number(dec));
    assert.doesNotMatch(char, forbidden, `a character reference to a character XML 1.0 allows (${hex ?? dec})`);
  }
  const parser = sax.parser(true);
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.onerror = (error) => {
    throw error;
  };
  parser.onopentag = (node) => {
    const element: XmlElement = { name: node.name, attributes: node.attributes, children: [], text: '' };
    if (stack.length) stack[stack.length - 1].children.push(element);
    else {
      assert.equal(root, undefined, 'one root element');
      root = element;
    }
    stack.push(element);
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  parser.ontext = (chunk) => {
    if (stack.length) stack[stack.length - 1].text += chunk;
    else assert.match(chunk, /^\s*$/, 'no text outside the root');
  };
  parser.write(text).close();
  assert.ok(root, 'a root element');
  return root;
}

/** What GitHub's runner does with a line of output (ActionCommand.TryParseV2 in actions/runner), or undefined. */
function parseWorkflowCommand(line: string): { command: string; properties: Record<string, string>; data: string } | undefined {
  const message = line.trimStart();
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const property of info.slice(space + 1).trim().split(',').filter(Boolean)) {
      const eq = property.indexOf('=');
      if (eq <= 0 || eq === property.length - 1) continue;
      properties[property.slice(0, eq)] = unescape(property.slice(eq + 1), [['%0D', '\r'], ['%0A', '\n'], ['%3A', ':'], ['%2C', ','], ['%25', '%']]);
    }
  }
  return { command, properties, data: unescape(message.slice(end + 2), [['%0D', '\r'], ['%0A', '\n'], ['%25', '%']]) };
}

function unescape(text: string, mappings: Array<[string, string]>): string {
  return mappings.reduce((out, [from, to]) => out.split(from).join(to), text);
}

/** The ESLint-compact problem matcher of actions/toolkit's docs/problem-matchers.md (and VS Code's $eslint-compact). */
const COMPACT_MATCHER = /^(.+):\sline\s(\d+),\scol\s(\d+),\s(Error|Warning|Info)\s-\s(.+)\s\((.+)\)$/;

// ---------------------------------------------------------------------------------------------------------------
// A hand-made result with every kind of entry, and names and messages that break naive escaping.

const root = path.join(os.tmpdir(), 'ws');
const NASTY_FILE = `src/we<i>rd & "q" 'a',b:c%25 \u001b[31m\u0001.ts`;
const NASTY_MESSAGE = `<b>&amp; "quoted" 'single' ]]> 100% a:b,c\r\nforged line \u0000\u0008\u000b\u000c\u001f\u007f\u0085 \ud800 ok 😀`;

function loc(file: string, line: number, column = 10, endLine = line) {
  return { file, line, column, endLine, endColumn: column + 5 };
}

const findings: Finding[] = [
  { ruleId: 'missing-timeout', severity: 'warning', message: 'No timeout.', location: loc('src/a.ts', 3), service: 'orders' },
  {
    ruleId: 'cross-service-db-access',
    severity: 'error',
    message: 'Reads the orders database.',
    location: loc('src/a.ts', 9, 2, 12),
    related: [{ location: loc('services/orders/db.ts', 1), message: 'orders owns it' }],
  },
  { ruleId: 'missing-timeout', severity: 'warning', message: 'Accepted.', location: loc('src/b.ts', 4), suppressed: { kind: 'inline', justification: 'the mesh times out' } },
  { ruleId: 'missing-timeout', severity: 'warning', message: NASTY_MESSAGE, location: loc(NASTY_FILE, 7) },
];
const notices: Notice[] = [
  { message: 'src/c.ts: syntax error: ; expected', file: 'src/c.ts', line: 2, column: 4, level: 'warning' },
  { message: 'src/d.ts could not be analysed', file: 'src/d.ts', level: 'error' },
  { message: 'dependency-cruiser failed', level: 'warning' },
];
const result = { root, findings, notices, rules: [], warnings: [] } as unknown as AnalysisResult;
const options = { cwd: root };

/** How each text comes out of XML escaping and parsing: characters XML cannot carry are visible `\uXXXX`. */
function throughXml(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

describe('CI formats', () => {
  it('every format is registered under its name', () => {
    for (const name of ['stylish', 'json', 'sarif', 'github', 'junit', 'checkstyle', 'compact']) assert.ok(formatNames.includes(name as never), name);
    for (const name of formatNames) assert.equal(typeof formatters[name], 'function');
  });

  describe('checkstyle', () => {
    const doc = parseXml(formatCheckstyle(result, options));

    it('is <checkstyle version><file name><error line column severity message source>', () => {
      assert.equal(doc.name, 'checkstyle');
      assert.equal(doc.attributes.version, '4.3');
      for (const file of doc.children) {
        assert.equal(file.name, 'file');
        assert.ok(file.attributes.name);
        for (const error of file.children) {
          assert.equal(error.name, 'error');
          assert.deepEqual(Object.keys(error.attributes).sort(), ['column', 'line', 'message', 'severity', 'source']);
          assert.match(error.attributes.line, /^\d+$/);
          assert.match(error.attributes.column, /^\d+$/);
          assert.ok(['error', 'warning', 'info'].includes(error.attributes.severity));
        }
      }
    });

    it('lists notices and unsuppressed findings per file, paths relative to the working directory', () => {
      const files = doc.children.map((file) => [file.attributes.name, file.children.map((e) => `${e.attributes.line}:${e.attributes.column} ${e.attributes.severity} ${e.attributes.source}`)]);
      assert.deepEqual(files, [
        ['src/c.ts', ['2:4 warning breakwater']],
        ['src/d.ts', ['0:0 error breakwater']],
        ['src/a.ts', ['3:10 warning breakwater.rules.missing-timeout', '9:2 error breakwater.rules.cross-service-db-access']],
        [throughXml(NASTY_FILE), ['7:10 warning breakwater.rules.missing-timeout']],
      ]);
    });

    it('keeps names and messages intact through escaping', () => {
      const nasty = doc.children[3].children[0];
      assert.equal(nasty.attributes.message, `${throughXml(NASTY_MESSAGE)} (missing-timeout)`);
      assert.equal(doc.children[2].children[0].attributes.message, 'No timeout. (missing-timeout)');
    });

    it('is a valid document with no findings', () => {
      const empty = parseXml(formatCheckstyle({ ...result, findings: [], notices: [] }, options));
      assert.deepEqual(empty.children, []);
    });
  });

  describe('junit', () => {
    const doc = parseXml(formatJunit(result, options));

    it('is testsuites > testsuite > testcase > failure or skipped, with consistent counts', () => {
      assert.equal(doc.name, 'testsuites');
      let tests = 0;
      let failures = 0;
      let skipped = 0;
      for (const suite of doc.children) {
        assert.equal(suite.name, 'testsuite');
        assert.ok(suite.attributes.name);
        assert.equal(Number(suite.attributes.tests), suite.children.length);
        for (const testcase of suite.children) {
          assert.equal(testcase.name, 'testcase');
          assert.ok(testcase.attributes.name && testcase.attributes.classname);
          assert.equal(testcase.children.length, 1);
          assert.ok(['failure', 'skipped'].includes(testcase.children[0].name));
        }
        const suiteFailures = suite.children.filter((c) => c.children[0].name === 'failure').length;
        assert.equal(Number(suite.attributes.failures), suiteFailures);
        assert.equal(Number(suite.attributes.skipped), suite.children.length - suiteFailures);
        tests += suite.children.length;
        failures += suiteFailures;
        skipped += suite.children.length - suiteFailures;
      }
      assert.deepEqual([doc.attributes.tests, doc.attributes.failures, doc.attributes.skipped], [String(tests), String(failures), String(skipped)]);
      assert.deepEqual([tests, failures, skipped], [6, 5, 1]);
    });

    it('one failure per problem, suppressed findings skipped with their justification', () => {
      const cases = doc.children.flatMap((suite) => suite.children.map((c) => [suite.attributes.name, c.attributes.name, c.children[0].name, c.children[0].attributes.type ?? c.children[0].attributes.message]));
      assert.deepEqual(cases, [
        ['src/c.ts', 'breakwater at 2:4', 'failure', 'notice'],
        ['src/d.ts', 'breakwater', 'failure', 'notice'],
        ['src/a.ts', 'missing-timeout at 3:10', 'failure', 'missing-timeout'],
        ['src/a.ts', 'cross-service-db-access at 9:2', 'failure', 'cross-service-db-access'],
        ['src/b.ts', 'missing-timeout at 4:10', 'skipped', 'suppressed: the mesh times out'],
        [throughXml(NASTY_FILE), 'missing-timeout at 7:10', 'failure', 'missing-timeout'],
      ]);
    });

    it('keeps names and messages intact through escaping, in attributes and in text', () => {
      const failure = doc.children[4].children[0].children[0];
      assert.equal(failure.attributes.message, throughXml(NASTY_MESSAGE));
      assert.equal(failure.text, `line 7, col 10, Warning - ${throughXml(NASTY_MESSAGE)} (missing-timeout)`);
    });

    it('is a valid document with no findings', () => {
      const empty = parseXml(formatJunit({ ...result, findings: [], notices: [] }, options));
      assert.deepEqual([empty.name, empty.attributes.tests, empty.children.length], ['testsuites', '0', 0]);
    });
  });

  describe('github', () => {
    const text = formatGithub(result, options);
    const lines = text.split('\n').slice(0, -1);
    const commands = lines.map((line) => parseWorkflowCommand(line));

    it('every line is a workflow command the runner parses: error or warning, with known properties', () => {
      assert.ok(text.endsWith('\n'));
      assert.equal(lines.length, 6, text);
      for (const [index, command] of commands.entries()) {
        assert.ok(command, `line ${index + 1} is a command: ${lines[index]}`);
        assert.ok(['error', 'warning'].includes(command.command));
        for (const key of Object.keys(command.properties)) assert.ok(['file', 'line', 'endLine', 'col', 'endColumn', 'title'].includes(key), key);
        for (const key of ['line', 'endLine', 'col', 'endColumn']) if (key in command.properties) assert.match(command.properties[key], /^\d+$/);
      }
    });

    it('gives each problem its file, range, rule as the title and message, escaped as the runner unescapes them', () => {
      assert.deepEqual(commands, [
        { command: 'warning', properties: { title: 'Breakwater' }, data: 'dependency-cruiser failed' },
        { command: 'warning', properties: { file: 'src/c.ts', line: '2', col: '4', endLine: '2', title: 'Breakwater' }, data: 'src/c.ts: syntax error: ; expected' },
        { command: 'error', properties: { file: 'src/d.ts', title: 'Breakwater' }, data: 'src/d.ts could not be analysed' },
        { command: 'warning', properties: { file: 'src/a.ts', line: '3', col: '10', endLine: '3', endColumn: '15', title: 'missing-timeout' }, data: 'No timeout.' },
        // A range over several lines has no columns: GitHub takes columns only within one line.
        { command: 'error', properties: { file: 'src/a.ts', line: '9', endLine: '12', title: 'cross-service-db-access' }, data: 'Reads the orders database.' },
        { command: 'warning', properties: { file: NASTY_FILE, line: '7', col: '10', endLine: '7', endColumn: '15', title: 'missing-timeout' }, data: NASTY_MESSAGE },
      ]);
    });

    it('a property value cannot end the property list, and a message cannot start a new line', () => {
      assert.equal(lines.filter((line) => line.includes('forged line')).length, 1);
      assert.ok(!lines.some((line) => line.startsWith('forged')));
      const nasty = lines.find((line) => line.includes('we<i>rd'))!;
      assert.ok(nasty.includes('file=src/we<i>rd & "q" \'a\'%2Cb%3Ac%2525'), nasty);
    });

    it('prints nothing when clean', () => {
      assert.equal(formatGithub({ ...result, findings: [], notices: [] }, options), '');
    });
  });

  describe('compact', () => {
    const text = formatCompact(result, options);
    const lines = text.split('\n');

    it("is ESLint's compact layout, one line per problem, then the count", () => {
      assert.deepEqual(lines.slice(0, 4), [
        'src/c.ts: line 2, col 4, Warning - src/c.ts: syntax error: ; expected',
        'src/d.ts: line 0, col 0, Error - src/d.ts could not be analysed',
        'src/a.ts: line 3, col 10, Warning - No timeout. (missing-timeout)',
        'src/a.ts: line 9, col 2, Error - Reads the orders database. (cross-service-db-access)',
      ]);
      assert.deepEqual(lines.slice(-3), ['', '5 problems', '']);
    });

    it("findings match ESLint's compact problem matcher; control characters cannot forge a line", () => {
      const findingLines = lines.filter((line) => line.endsWith(')'));
      assert.equal(findingLines.length, 3);
      for (const line of findingLines) {
        const match = COMPACT_MATCHER.exec(line);
        assert.ok(match, line);
        assert.match(match[6], /^[a-z-]+$/);
      }
      assert.equal(lines.length, 5 + 3);
      assert.ok(!text.includes('\u001b') && !text.includes('\r'));
    });

    it('prints nothing when clean', () => {
      assert.equal(formatCompact({ ...result, findings: [], notices: [] }, options), '');
    });
  });

  describe('json', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(repo, 'schema/report.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    const files = JSON.parse(formatJson(result));

    it('matches schema/report.schema.json', () => {
      assert.ok(validate(files), JSON.stringify(validate.errors, null, 2));
    });

    it("has ESLint's fields: suppressedMessages with suppressions, fatal notices, fixable and deprecated-rule fields", () => {
      const byName = new Map(files.map((file: { filePath: string }) => [path.relative(root, file.filePath), file]));
      const b = byName.get('src/b.ts') as Record<string, unknown>;
      assert.deepEqual(b.messages, []);
      assert.deepEqual(b.suppressedMessages, [
        { ruleId: 'missing-timeout', severity: 1, message: 'Accepted.', line: 4, column: 10, endLine: 4, endColumn: 15, suppressions: [{ kind: 'directive', justification: 'the mesh times out' }] },
      ]);
      assert.equal(b.suppressedCount, 1);
      const d = byName.get('src/d.ts') as Record<string, unknown>;
      assert.deepEqual(d.messages, [{ ruleId: null, severity: 2, message: 'src/d.ts could not be analysed', fatal: true }]);
      assert.deepEqual([d.errorCount, d.fatalErrorCount, d.warningCount], [1, 1, 0]);
      for (const file of files) assert.deepEqual([file.fixableErrorCount, file.fixableWarningCount, file.usedDeprecatedRules], [0, 0, []]);
    });

    it('the schema rejects what it does not document', () => {
      const broken = structuredClone(files);
      broken[0].messages[0].severity = 3;
      assert.equal(validate(broken), false);
      const extra = structuredClone(files);
      extra[0].messages[0].surprise = true;
      assert.equal(validate(extra), false);
    });

    it("ESLint's own formatters read it", async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ESLint } = require('eslint') as typeof import('eslint');
      const eslint = new ESLint({ cwd: root, overrideConfigFile: true });
      const stylish = await (await eslint.loadFormatter('stylish')).format(files);
      assert.match(stylish, /✖ 5 problems \(2 errors, 3 warnings\)/);
      assert.match(stylish, /3:10 {2}warning {2}No timeout +missing-timeout/);
      const json = await (await eslint.loadFormatter('json')).format(files);
      assert.deepEqual(JSON.parse(json), files);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Through the CLI, on the example shop: what CI gets.

describe('CI formats (CLI)', function () {
  this.timeout(120_000);
  before(buildIfMissing);
  const shop = path.join(repo, 'examples/shop');
  const run = (args: string[]) => {
    const out = spawnSync(process.execPath, [bin, 'check', 'examples/shop', ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '', NO_COLOR: '1' } });
    assert.equal(out.status, 0, out.stderr);
    return out.stdout;
  };
  let expected: number;
  before(() => {
    const files = JSON.parse(run(['-f', 'json']));
    expected = files.reduce((n: number, file: { messages: unknown[] }) => n + file.messages.length, 0);
    assert.ok(expected > 20);
  });

  it('json matches schema/report.schema.json, with absolute paths', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(repo, 'schema/report.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    const files: Array<{ filePath: string }> = JSON.parse(run(['-f', 'json']));
    assert.ok(validate(files), JSON.stringify(validate.errors, null, 2));
    for (const file of files) assert.ok(file.filePath.startsWith(shop + path.sep), file.filePath);
  });

  it('github: one workflow command per finding, on files that exist relative to the working directory', () => {
    const lines = run(['-f', 'github']).trimEnd().split('\n');
    assert.equal(lines.length, expected);
    for (const line of lines) {
      const command = parseWorkflowCommand(line);
      assert.ok(command && command.command === 'warning', line);
      assert.ok(fs.existsSync(path.join(repo, command.properties.file)), command.properties.file);
      assert.match(command.properties.title, /^[a-z-]+$/);
    }
  });

  it('checkstyle and junit: well-formed, one entry per finding', () => {
    const checkstyle = parseXml(run(['-f', 'checkstyle']));
    assert.equal(checkstyle.children.flatMap((file) => file.children).length, expected);
    for (const file of checkstyle.children) assert.ok(fs.existsSync(path.join(repo, file.attributes.name)), file.attributes.name);
    const junit = parseXml(run(['-f', 'junit']));
    assert.equal(Number(junit.attributes.failures), expected);
  });

  it('compact: every line matches the problem matcher', () => {
    const lines = run(['-f', 'compact']).split('\n');
    const problems = lines.filter((line) => COMPACT_MATCHER.test(line));
    assert.equal(problems.length, expected);
    assert.equal(lines.at(-2), `${expected} problems`);
  });

  it('check --help describes every format', () => {
    const help = spawnSync(process.execPath, [bin, 'check', '--help'], { encoding: 'utf8' }).stdout;
    const section = help.slice(help.indexOf('Formats (--format):'));
    for (const name of formatNames) assert.match(section, new RegExp(`^  ${name} +\\S`, 'm'), name);
  });

  it('exit codes do not depend on the format: an error is ::error and exit 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-ci-'));
    try {
      fs.mkdirSync(path.join(dir, 'src'));
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'svc', dependencies: { axios: '^1' } }));
      fs.writeFileSync(path.join(dir, 'breakwater.json'), JSON.stringify({ rules: { 'missing-timeout': 'error' } }));
      fs.writeFileSync(path.join(dir, 'src/index.ts'), "import axios from 'axios';\nexport const load = () => axios.get('http://localhost:3000/items');\n");
      for (const format of formatNames) {
        const out = spawnSync(process.execPath, [bin, 'check', '-f', format], { cwd: dir, encoding: 'utf8' });
        assert.equal(out.status, 1, `${format}: ${out.stderr}`);
      }
      const github = spawnSync(process.execPath, [bin, 'check', '-f', 'github'], { cwd: dir, encoding: 'utf8' }).stdout;
      assert.match(github, /^::error file=src\/index\.ts,line=2,col=\d+,endLine=2,endColumn=\d+,title=missing-timeout::\S/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
