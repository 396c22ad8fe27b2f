#!/usr/bin/env node
// npm run accuracy: runs the CLI on each corpus repository as a new user would (no config, `breakwater check .` in
// the repository's root) and scores its findings against the hand labels in labels.tsv. Prints recall and precision
// per rule and per repository, the findings nobody has labelled yet, wall time and peak RSS, and writes the tables to
// results.md. Repositories are checked out first with checkout.mjs (see README.md).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure } from '../measure.mjs';
import { matchFindings, newTally, parseLabels, rates, tally } from './score.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '..', '..');
const cli = path.join(projectRoot, 'bin', 'breakwater.js');
const RULES = ['missing-timeout', 'unguarded-downstream-call', 'shared-connection-pool', 'cross-service-db-access', 'missing-correlation-id'];

const { values } = parseArgs({
  options: {
    repos: { type: 'string', default: path.join(here, 'repos.json') },
    'repos-dir': { type: 'string', default: path.join(here, 'repos') },
    labels: { type: 'string', default: path.join(here, 'labels.tsv') },
    only: { type: 'string' },
    results: { type: 'string', default: path.join(here, 'results.md') },
    'no-results': { type: 'boolean', default: false },
    unlabelled: { type: 'string', default: path.join(here, 'out', 'unlabelled.tsv') },
    findings: { type: 'string', default: path.join(here, 'out', 'findings.tsv') },
    'print-unlabelled': { type: 'boolean', default: false },
  },
});

const repos = JSON.parse(fs.readFileSync(values.repos, 'utf8')).repos;
const only = values.only?.split(',').map((s) => s.trim());
const { labels, errors } = parseLabels(fs.readFileSync(values.labels, 'utf8'), path.basename(values.labels));
for (const error of errors) console.error(error);
if (errors.length) process.exit(2);

const pct = (x) => (x === undefined ? '–' : `${(100 * x).toFixed(0)} %`);
const row = (cells) => `| ${cells.join(' | ')} |`;

async function runRepo(repo) {
  const dir = path.join(values['repos-dir'], repo.name.replace('/', '+'));
  if (!fs.existsSync(dir)) return { repo, skipped: `not checked out at ${path.relative(process.cwd(), dir)}` };
  const report = path.join(os.tmpdir(), `breakwater-accuracy-${process.pid}-${repo.name.replace('/', '+')}.json`);
  const run = await measure(cli, ['check', '.', '--format', 'json', '--output', report], { cwd: dir, node: true, timeoutMs: 20 * 60_000 });
  if (run.code !== 0 && run.code !== 1) {
    return { repo, skipped: `the CLI exited ${run.code ?? run.signal}: ${run.stderr.trim().split('\n').slice(-3).join(' / ')}`, run };
  }
  const results = JSON.parse(fs.readFileSync(report, 'utf8'));
  fs.rmSync(report, { force: true });
  const findings = results.flatMap((file) =>
    file.messages
      .filter((m) => m.ruleId)
      .map((m) => ({
        path: path.relative(dir, file.filePath).split(path.sep).join('/'),
        line: m.line,
        endLine: m.endLine ?? m.line,
        rule: m.ruleId,
        message: m.message,
      })),
  );
  const repoLabels = labels.filter((l) => l.repo === repo.name);
  return { repo, run, findings, labels: repoLabels, match: matchFindings(findings, repoLabels) };
}

const outcomes = [];
for (const repo of repos) {
  if (only && !only.includes(repo.name)) continue;
  process.stderr.write(`${repo.name} … `);
  const outcome = await runRepo(repo);
  process.stderr.write(outcome.skipped ? `skipped: ${outcome.skipped}\n` : `${outcome.findings.length} findings, ${(outcome.run.wallMs / 1000).toFixed(1)} s\n`);
  outcomes.push(outcome);
}
const scored = outcomes.filter((o) => !o.skipped);

const lines = [];
lines.push('## Per rule', '');
lines.push(row(['Rule', 'finding labels', 'ok labels', 'reported of finding', 'reported of ok', 'recall', 'precision', 'findings', 'unlabelled findings']));
lines.push(row(Array(9).fill('---')));
const total = newTally();
for (const rule of RULES) {
  const t = newTally();
  for (const o of scored) tally(t, o.match, o.labels, o.findings, rule);
  const { recall, precision } = rates(t);
  lines.push(row([rule, t.findingLabels, t.okLabels, t.truePositives, t.falsePositives, pct(recall), pct(precision), t.findings, t.unlabelled]));
}
for (const o of scored) tally(total, o.match, o.labels, o.findings);
const all = rates(total);
lines.push(row(['**all**', total.findingLabels, total.okLabels, total.truePositives, total.falsePositives, pct(all.recall), pct(all.precision), total.findings, total.unlabelled]));

lines.push('', '## Per repository', '');
lines.push(row(['Repository', 'commit', 'labels', 'recall', 'precision', 'findings', 'unlabelled findings', 'wall time', 'peak RSS']));
lines.push(row(Array(9).fill('---')));
for (const o of outcomes) {
  if (o.skipped) {
    lines.push(row([o.repo.name, o.repo.commit.slice(0, 12), '', '', '', '', '', '', `skipped: ${o.skipped}`]));
    continue;
  }
  const t = tally(newTally(), o.match, o.labels, o.findings);
  const { recall, precision } = rates(t);
  lines.push(row([o.repo.name, o.repo.commit.slice(0, 12), o.labels.length, pct(recall), pct(precision), t.findings, t.unlabelled,
    `${(o.run.wallMs / 1000).toFixed(1)} s`, `${Math.round(o.run.peakRssMB)} MB`]));
}

const missedLines = scored.flatMap((o) => o.match.missed.map((l) => `- ${o.repo.name} ${l.path}:${l.line} ${l.rule}: ${l.reason}`));
const wrongLines = scored.flatMap((o) =>
  o.match.matched.filter(({ label }) => label.label === 'ok').map(({ label }) => `- ${o.repo.name} ${label.path}:${label.line} ${label.rule}: ${label.reason}`),
);
lines.push('', `## Missed (${missedLines.length}): labelled \`finding\`, not reported`, '', ...missedLines);
lines.push('', `## Wrong (${wrongLines.length}): labelled \`ok\`, reported`, '', ...wrongLines);

const table = lines.join('\n');
console.log(table);

// Unlabelled findings, in the labels' own format with the label left empty: the review's to-do list.
const unlabelled = scored.flatMap((o) => o.match.unlabelled.map((f) => [o.repo.name, f.path, f.line, f.rule, '', f.message.replace(/\s+/g, ' ')].join('\t')));
fs.mkdirSync(path.dirname(values.unlabelled), { recursive: true });
fs.writeFileSync(values.unlabelled, ['repo\tpath\tline\trule\tlabel\treason', ...unlabelled].join('\n') + '\n');
console.log(`\n${unlabelled.length} unlabelled finding(s) written to ${path.relative(process.cwd(), values.unlabelled)}`);
// Every finding, labelled or not, so two builds' runs can be compared line by line (`diff`).
const everyFinding = scored.flatMap((o) => o.findings.map((f) => [o.repo.name, f.path, f.line, f.rule, f.message.replace(/\s+/g, ' ')].join('\t')));
fs.mkdirSync(path.dirname(values.findings), { recursive: true });
fs.writeFileSync(values.findings, ['repo\tpath\tline\trule\tmessage', ...everyFinding].join('\n') + '\n');
if (values['print-unlabelled']) console.log(unlabelled.join('\n'));

if (!values['no-results']) {
  const header = [
    '# Accuracy on the real-world corpus',
    '',
    `Written by \`npm run accuracy\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${os.cpus().length} cores):`,
    `${scored.length} repositories, ${labels.filter((l) => scored.some((o) => o.repo.name === l.repo)).length} labels. Recall is the share of labelled`,
    'problems reported; precision the share of reported labelled places that are real problems. Unlabelled findings',
    'are not scored; they are listed in `out/unlabelled.tsv` for review. See README.md for how to run it.',
    '',
  ];
  fs.writeFileSync(values.results, `${header.join('\n')}\n${table}\n`);
}
