// The `breakwater` command: parse arguments, run the engine once, print a report, exit the way ESLint does.
// Everything about finding problems lives in the engine; everything about their layout in engine/report.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { analyse, allRules, defaultCacheLocation, FactsCache, findWorkspaceRoot, UserInputError, type AnalysisResult } from '../engine';
import { countFindings, formatNames, formatters, type FindingCounts, type FormatName } from '../engine/report';
import { RULE_DOCS_FOLDER, type RuleMeta } from '../rules/types';
import { version } from '../package.json';
import { collectList, UsageError, writeReport } from './io';
import { discoverProjects, projectOf, selectProjects, type Project } from './projects';
import { projectInputs, staleTurboInputs } from './project-inputs';
import { projectFormats, projectsCommand, type ProjectsOptions } from './commands/projects';
import { mergeSarifCommand, type MergeSarifOptions } from './commands/merge-sarif';
import { initCommand, type InitOptions } from './commands/init';
import { explainCommand } from './commands/explain';
import { inExtractionWorker } from '../engine/extract/deep';
import { filesChangedSince } from './changed';
import { bulkSuppress, countStale, describeBulk, type SuppressionOptions } from './suppressions';

const EXIT_OK = 0;
const EXIT_PROBLEMS = 1;
const EXIT_USAGE = 2;

interface CheckOptions extends SuppressionOptions {
  format: FormatName;
  output?: string;
  config?: string;
  maxWarnings: number;
  rule?: string[];
  ignoreRule?: string[];
  /** Project names, package names or folders (`--service`). */
  service?: string[];
  quiet?: boolean;
  includeTests?: boolean;
  cache?: boolean;
  cacheLocation?: string;
  reportUnusedDisableDirectives?: boolean;
  /** A git ref: report only findings in files changed since it. */
  changedSince?: string;
  /** undefined unless --color or --no-color was given. */
  color?: boolean;
  /** false with --no-error-on-unmatched-pattern: a path with no source files is no error. */
  errorOnUnmatchedPattern: boolean;
}

const CHECK_HELP = `
Paths:
  The workspace root is found from the first path (default: the current
  directory): the nearest folder at or above it with a breakwater.json,
  pnpm-workspace.yaml, nx.json, turbo.json, a package.json with workspaces,
  or .git; with none, the first path itself (add a breakwater.json to make
  a folder a root). The config file is looked up there, and the whole root
  is analysed, so calls across services and shared libraries are resolved.
  The report is narrowed to the paths given: the first path when it lies
  below the root, and every further path. A path with no source files to
  analyse is an error (exit code 2), so a mistyped path cannot pass
  unnoticed; --no-error-on-unmatched-pattern allows it.

Projects:
  --service narrows the report the same way, to the files of one service or
  shared library, named by its name, package name or folder (see
  \`breakwater projects\`). Every file belongs to one project, so per-project
  runs together report exactly what one run over the workspace reports.
  The whole workspace is still analysed: a finding in one service can
  depend on other projects' code (breakwater projects --inputs lists
  which). With --service, a turbo.json written by breakwater projects
  --write-turbo that leaves out a project the code now depends on is an
  error (exit code 2), so a stale cache entry is never trusted
  (docs/ci-monorepo.md).

Formats (--format):
  stylish     for people (the default)
  json        ESLint's JSON results, described by schema/report.schema.json
  sarif       SARIF 2.1.0, for GitHub code scanning and other dashboards
  github      GitHub Actions workflow commands: annotations on the pull
              request with no upload step (GitHub shows 10 of each kind
              per step, 50 per job; upload SARIF for more)
  junit       JUnit XML: test reports in GitLab, Jenkins, Azure Pipelines
  checkstyle  Checkstyle XML: Jenkins warnings-ng, reviewdog, SonarQube
  compact     ESLint's compact: one line per problem, for problem matchers
  Paths are relative to the working directory; json's are absolute, and
  sarif's relative to the workspace root. docs/ci.md has CI recipes.

Changed files:
  --changed-since <git-ref> reports only the findings in files changed since
  that ref: committed, staged or not, and new files git does not ignore
  (git diff --name-only <ref>, git ls-files --others --exclude-standard).
  The whole workspace is still analysed, so a finding in a changed file that
  depends on unchanged code is still found. It needs git; a missing git or
  ref is a usage error (exit code 2).

Suppressions (docs/suppressions.md):
  --suppress-all writes every current finding to breakwater-suppressions.json
  in the root (--suppressions-location to choose), --suppress-rule one rule's.
  Later runs report, and fail on, only the findings that are not in it, and
  say on stderr how many suppressed findings remain. An entry matches a
  finding by rule, file and a fingerprint of the code it is on and the
  functions around it, not by line: lines added above it or a reformat keep
  it, a change to the code itself does not. With paths or --service, only
  the entries of the files reported on are written (and judged stale).
  --prune-suppressions removes the entries that no longer match a finding;
  a run exits with 2 on such entries only with
  --fail-on-unpruned-suppressions. SARIF marks suppressed
  results (suppressions kind external, baselineState) and carries the
  fingerprint (partialFingerprints breakwater/v1); JSON lists them in each
  file's suppressedMessages.

Inline directives:
  // breakwater-disable-next-line <rule> -- <reason>, // breakwater-disable-line,
  and /* breakwater-disable <rule> */ … /* breakwater-enable <rule> */ blocks
  (no rule: every rule). Read from the parser's comments: text in strings and
  templates is no directive. A directive naming an unknown rule is reported
  on its line with the rule meant; --report-unused-disable-directives also
  reports directives that suppress nothing.

Colour:
  Used when stdout is a terminal. NO_COLOR=1 turns it off, FORCE_COLOR=1 on;
  --color / --no-color win over both.

Exit codes:
  0  no errors, and no more warnings than --max-warnings
  1  errors found, or more warnings than --max-warnings
  2  usage or config error, missing path, a path with no source files,
     stale suppressions with --fail-on-unpruned-suppressions, or internal error
     (DEBUG=breakwater prints the stack)

Examples:
  $ breakwater check
  $ breakwater check . services/orders --max-warnings 0
  $ breakwater check services/orders      (the same report, from the root above)
  $ breakwater check --format sarif --output reports/breakwater.sarif
  $ breakwater check --format github
  $ breakwater check --format junit --output reports/breakwater.xml
  $ breakwater check --suppress-all && git add breakwater-suppressions.json
  $ breakwater check --changed-since origin/main --max-warnings 0
  $ breakwater check . --service orders -f sarif -o services/orders/breakwater.sarif
`;

const PROJECTS_HELP = `
Every service and shared library is a project. When some source files lie
outside all of them, the workspace root is one more project, "root" (folder
"."), holding just those files. Each file belongs to the innermost project
folder above it.

A project's findings can depend on other projects' code: a service's on the
shared libraries, the code it imports and the code that imports it, the
callers of every function it reaches (other services calling the same
shared helper), interceptors on shared clients, and database owners named
elsewhere. --inputs lists those projects; the inputs leave out the source
files of the others, so an orchestrator re-runs a project's task only when
its findings can change. check --service fails (exit code 2) when a
turbo.json that --write-turbo wrote leaves out a project that the code now
depends on. Give projects and check the same --config and --include-tests.

Examples:
  $ breakwater projects
  $ breakwater projects . --format json
  $ breakwater projects . --inputs
  $ breakwater projects . --write-turbo
  $ breakwater projects . --write-turbo --check
`;

const MERGE_SARIF_HELP = `
Rules and artifacts are deduplicated (rule and artifact indexes renumbered),
results are concatenated, sorted by file, line, column and rule, and kept once
when two logs hold the same result. The logs must come from one version of
each tool. Merging the logs of every project gives the whole-workspace log.

Example:
  $ breakwater merge-sarif services/*/breakwater.sarif libs/*/breakwater.sarif -o breakwater.sarif
`;

function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('breakwater')
    .description('Architecture linter for TypeScript microservices: timeouts, circuit breakers, bulkheads, database ownership and correlation IDs.')
    .version(version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    // Commander would exit with 1 on bad arguments; ESLint's convention (and ours) is 2. Subcommands inherit this.
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`breakwater: ${text.replace(/^error: /, '')}`) })
    .showHelpAfterError('(add --help for usage)');

  program
    .command('check')
    .description('analyse a workspace and report the problems found')
    .argument('[paths...]', 'files or folders to report on; the first also finds the workspace root (see Paths below)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(formatNames).default('stylish'))
    .option('-o, --output <file>', 'write the report to this file instead of stdout (folders are created)')
    .option('-c, --config <file>', 'use this config file instead of breakwater.json in the root')
    .option('--max-warnings <n>', 'exit with 1 when there are more than n warnings (-1: no limit)', parseMaxWarnings, -1)
    .option('--rule <id>', 'run only this rule; repeat or separate with commas for several', collectList)
    .option('--ignore-rule <id>', 'do not run this rule; repeatable', collectList)
    .option('--service <name>', "report only this project's findings: a service or library name, package name or folder; repeatable, or comma-separated", collectList)
    .option('--quiet', 'report errors only: warnings are neither printed nor counted')
    .option('--include-tests', 'analyse test files too (skipped by default)')
    .option('--no-error-on-unmatched-pattern', 'a path with no source files to analyse is no error (exit code 0 if nothing else fails)')
    .option('--cache', 'reuse the facts of files unchanged since the last --cache run (keyed by content)')
    .option('--cache-location <folder>', 'where --cache keeps its files; implies --cache (default: node_modules/.cache/breakwater in the root)')
    .option('--report-unused-disable-directives', 'report breakwater-disable comments that suppress nothing (as warnings on their lines)')
    .option('--changed-since <git-ref>', 'report only findings in files changed since this git ref (committed or not, and new files); the whole workspace is still analysed')
    .option('--suppress-all', 'write every current finding to the suppressions file; later runs report only new findings')
    .option('--suppress-rule <id>', "write this rule's current findings to the suppressions file; repeatable, or comma-separated", collectList)
    .option('--suppressions-location <file>', 'the suppressions file (default: breakwater-suppressions.json in the root)')
    .option('--prune-suppressions', 'remove the entries of the suppressions file that no longer match a finding')
    .option('--fail-on-unpruned-suppressions', 'exit with 2 when the suppressions file has entries that no longer match a finding')
    .option('--color', 'force coloured output')
    .option('--no-color', 'disable coloured output')
    .addHelpText('after', CHECK_HELP)
    .action(async (paths: string[], options: CheckOptions) => setExitCode(await check(paths, options)));

  program
    .command('rules')
    .description('list the rules with their default severity and description')
    .action(() => {
      process.stdout.write(listRules());
    });

  program
    .command('projects')
    .description('list the services and shared libraries (the projects --service takes), one per line: name, folder, kind')
    .argument('[root]', 'workspace root (default: the current directory)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(projectFormats).default('text'))
    .option('-c, --config <file>', 'use this config file instead of breakwater.json in the root')
    .option('--include-tests', 'count test files too, as check --include-tests does')
    .option('--inputs', "analyse the workspace and add what each project's findings depend on: the projects (a fourth column), and input globs (json)")
    .option('--write-turbo', "write each project's inputs into its package's turbo.json, as the inputs of the Turborepo task (see --task)")
    .option('--check', 'with --write-turbo: write nothing; exit with 1 when a turbo.json is out of date')
    .option('--task <name>', 'the Turborepo task that runs breakwater check', 'breakwater')
    .option('--cache', 'reuse the facts of unchanged files, as check --cache does')
    .addHelpText('after', PROJECTS_HELP)
    .action(async (root: string | undefined, options: ProjectsOptions) => setExitCode(await projectsCommand(root, options)));

  program
    .command('explain')
    .description("print a rule's documentation: what it looks for, why, how to fix it, its options")
    .argument('<rule>', 'a rule id (see breakwater rules)')
    .action((rule: string) => setExitCode(explainCommand(rule)));

  program
    .command('init')
    .description("write a commented breakwater.json that states what Breakwater finds in the workspace: services and why, libraries, databases' owners")
    .argument('[root]', 'workspace root (default: the current directory)')
    .option('--force', 'replace an existing breakwater.json (or .breakwaterrc.json)')
    .action(async (root: string | undefined, options: InitOptions) => setExitCode(await initCommand(root, options)));

  program
    .command('merge-sarif')
    .description('merge the SARIF logs of per-project runs into one log, one run per tool')
    .argument('<files...>', 'SARIF 2.1.0 logs')
    .option('-o, --output <file>', 'write the merged log to this file instead of stdout (folders are created)')
    .addHelpText('after', MERGE_SARIF_HELP)
    .action((files: string[], options: MergeSarifOptions) => mergeSarifCommand(files, options));

  return program;
}

async function check(paths: string[], options: CheckOptions): Promise<number> {
  const [firstArg = '.', ...scopeArgs] = paths;
  const first = path.resolve(firstArg);
  if (!fs.existsSync(first)) throw new UsageError(`no such file or folder: ${firstArg}`);
  // `check services/orders` analyses the workspace around it and reports on the folder: its findings can depend on
  // the rest (shared libraries, callers, the database's owner).
  const { root } = findWorkspaceRoot(first);
  const given = first === root ? scopeArgs : [firstArg, ...scopeArgs];
  const scopes = given.map((arg) => resolveScope(root, arg));
  checkRuleIds('--rule', options.rule ?? []);
  checkRuleIds('--ignore-rule', options.ignoreRule ?? []);
  checkRuleIds('--suppress-rule', options.suppressRule ?? []);
  if (options.suppressAll && options.suppressRule?.length) throw new UsageError('--suppress-all and --suppress-rule cannot be used together');
  // Discovery is cheap next to the analysis: a misspelt project fails at once, not after minutes.
  const projects = options.service?.length ? discoverProjects(root, { configFile: options.config, includeTests: options.includeTests }) : undefined;
  const projectScope = projects ? projectScopeFor(projects, options.service ?? []) : undefined;
  // A per-project task in a workspace whose packages have turbo.json files: check that their inputs still hold.
  // Asked of git before the analysis, so a missing ref fails at once.
  const changed = options.changedSince === undefined ? undefined : await filesChangedSince(root, options.changedSince);
  const checkTurboInputs = !!projects?.some((project) => project.folder !== '.' && fs.existsSync(path.join(root, project.folder, 'turbo.json')));

  const progress = progressLine(process.stderr);
  // The default folder is in the workspace, which owns it: no link below the root is followed (a folder the user
  // names is theirs, links above it included).
  const cache = options.cacheLocation ? new FactsCache(path.resolve(options.cacheLocation)) : options.cache ? new FactsCache(defaultCacheLocation(root), root) : undefined;
  let result: AnalysisResult;
  try {
    result = await analyse(root, {
      cache,
      configFile: options.config,
      onlyRules: options.rule,
      skipRules: options.ignoreRule,
      includeTests: options.includeTests,
      onProgress: progress.update,
      callGraph: checkTurboInputs,
      reportUnusedDisableDirectives: options.reportUnusedDisableDirectives,
    });
  } finally {
    progress.clear();
  }
  const cacheProblem = cache?.save();
  if (cacheProblem) process.stderr.write(`breakwater: warning: ${cacheProblem}\n`);
  noteOddWorkspace(result, !options.errorOnUnmatchedPattern);
  // Files that could not be read or parsed cleanly: the rest of the work went on, but say so.
  for (const warning of result.warnings) process.stderr.write(`breakwater: warning: ${warning}\n`);

  let findings = result.findings;
  // Notices on files are scoped like findings; those about no file (a tool that failed) are in every report.
  let notices = result.notices;
  const inScopes = (file: string) => scopes.some((scope) => isWithin(scope, path.join(result.root, file)));
  if (scopes.length > 0) {
    findings = findings.filter((f) => inScopes(f.location.file));
    notices = notices.filter((n) => n.file === undefined || inScopes(n.file));
  }
  // ESLint's "No files matching the pattern": a path with nothing to analyse is most likely a mistake.
  const unmatched = unmatchedPaths(result, first === root ? [root, ...scopes] : scopes, [firstArg, ...scopeArgs]);
  if (unmatched.length > 0 && options.errorOnUnmatchedPattern) {
    for (const arg of unmatched) {
      process.stderr.write(`breakwater: no source files to analyse in ${printable(arg)} (workspace root: ${printable(path.relative(process.cwd(), root) || '.')}); check the path, or pass --no-error-on-unmatched-pattern\n`);
    }
    return EXIT_USAGE;
  }
  if (projectScope) {
    findings = findings.filter((f) => projectScope.has(f.location.file));
    notices = notices.filter((n) => n.file === undefined || projectScope.has(n.file));
  }
  if (changed) {
    findings = findings.filter((f) => changed.has(f.location.file));
    notices = notices.filter((n) => n.file === undefined || changed.has(n.file));
  }
  // The suppressions file: only findings not in it are reported and counted. Before --quiet, so that --suppress-all
  // records warnings too and they are not taken for stale.
  const reported = (file: string) => (scopes.length === 0 || inScopes(file)) && (!projectScope || projectScope.has(file)) && (!changed || changed.has(file));
  const bulk = bulkSuppress(root, options, findings, reported, new Set(result.rules.map((rule) => rule.meta.id)));
  findings = bulk.findings;
  for (const line of describeBulk(bulk, options)) process.stderr.write(`${line}\n`);
  if (options.quiet) {
    findings = findings.filter((f) => f.severity === 'error');
    notices = notices.filter((n) => n.level === 'error');
  }

  const bulkSuppressions = bulk.shown === undefined ? undefined : { file: bulk.shown, suppressed: bulk.suppressed, stale: countStale(bulk.stale) };
  const report = formatters[options.format]({ ...result, findings, notices, bulkSuppressions }, { cwd: process.cwd(), color: useColor(options) });
  writeReport(report, options.output);

  // A per-project task: if any project's turbo.json now leaves out code its findings depend on, its cached report
  // could be replayed after that code changes. This run is the one that sees it (the change is among its inputs).
  if (projects && checkTurboInputs) {
    const sameOptions = [options.config && `--config ${options.config}`, options.includeTests && '--include-tests'].filter(Boolean).join(' ');
    const stale = staleTurboInputs(root, projectInputs(result, projects), { sameOptions });
    for (const problem of stale) process.stderr.write(`breakwater: ${problem}\n`);
    if (stale.length > 0) return EXIT_USAGE;
  }

  // Entries that match nothing hide no finding today, but would hide the next one written the same way: CI can ask
  // for the file to be kept pruned.
  if (options.failOnUnprunedSuppressions && bulk.stale.length > 0) {
    process.stderr.write(`breakwater: ${bulk.shown} has suppressions that no longer match any finding (--fail-on-unpruned-suppressions); run with --prune-suppressions and commit the file\n`);
    return EXIT_USAGE;
  }

  const counts = countFindings(findings, notices);
  const exit = exitCodeFor(counts, options.maxWarnings);
  if (counts.errors === 0 && exit === EXIT_PROBLEMS) {
    process.stderr.write(`Breakwater found too many warnings (maximum: ${options.maxWarnings}).\n`);
  }
  return exit;
}

/** `--service`: which files (relative to the root) lie in the named projects. */
function projectScopeFor(projects: Project[], names: string[]): { has(file: string): boolean } {
  const selected = new Set<Project>(selectProjects(projects, names));
  return {
    has(file) {
      const owner = projectOf(projects, file);
      return owner !== undefined && selected.has(owner);
    },
  };
}

/** ESLint's rule: any error fails; warnings fail only beyond --max-warnings (-1: no limit). Suppressed findings never count. */
function exitCodeFor(counts: FindingCounts, maxWarnings: number): number {
  if (counts.errors > 0) return EXIT_PROBLEMS;
  if (maxWarnings >= 0 && counts.warnings > maxWarnings) return EXIT_PROBLEMS;
  return EXIT_OK;
}

function parseMaxWarnings(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || n < -1) throw new InvalidArgumentError('Expected an integer ≥ 0, or -1 for no limit.');
  return n;
}

function checkRuleIds(option: string, ids: string[]): void {
  const known = new Set(allRules.map((rule: RuleMeta) => rule.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UsageError(`unknown rule ${unknown.map((id) => `"${id}"`).join(', ')} in ${option}; valid rule ids: ${[...known].join(', ')}`);
  }
}

/**
 * The paths given (as typed, in `args`, one per entry of `paths`) under which no source file was analysed: test
 * files (without --include-tests), ignored, generated or build output, or no code at all.
 */
function unmatchedPaths(result: AnalysisResult, paths: string[], args: string[]): string[] {
  const analysed = result.model.files.map((file) => path.join(result.root, file.path));
  return args.filter((_, i) => !analysed.some((file) => isWithin(paths[i], file)));
}

/** A path as typed, with control characters escaped, as file names are in reports. */
function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** A path given to check narrows the report; it must exist and lie inside the root. */
function resolveScope(root: string, arg: string): string {
  const scope = path.resolve(arg);
  if (!fs.existsSync(scope)) throw new UsageError(`no such file or folder: ${arg}`);
  if (!isWithin(root, scope)) throw new UsageError(`${arg} is outside the workspace root ${root}`);
  return scope;
}

function isWithin(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Not errors, but worth a word: an empty root usually means a wrong path or an ignore pattern that is too broad. */
function noteOddWorkspace(result: AnalysisResult, noFilesIsNoError: boolean): void {
  const shown = path.relative(process.cwd(), result.root) || '.';
  if (result.stats.files === 0) {
    // Otherwise this is an error, and said so below.
    if (!noFilesIsNoError) return;
    process.stderr.write(`No source files found in ${shown}.\n`);
  } else if (result.model.services.length === 0) {
    const files = result.stats.files === 1 ? '1 file' : `${result.stats.files} files`;
    process.stderr.write(`No services found in ${shown}; analysed ${files} as one workspace.\n`);
  }
}

function useColor(options: CheckOptions): boolean {
  if (options.color !== undefined) return options.color;
  if (options.output) return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (process.env.NO_COLOR) return false;
  return process.stdout.isTTY === true && process.env.TERM !== 'dumb';
}

/**
 * "Analysing 120/1040 files…" on one overwritten stderr line, only on a terminal: it never mixes into a report
 * on stdout or into CI logs. Shown after a short delay (no flicker on small workspaces), at most ~10 times a second.
 */
function progressLine(stream: NodeJS.WriteStream): { update?: (done: number, total: number) => void; clear: () => void } {
  if (!stream.isTTY) return { clear: () => {} };
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - started < 200 || now - last < 100) return;
      last = now;
      shown = true;
      stream.write(`\rAnalysing ${done}/${total} files\u2026\u001b[K`);
    },
    clear() {
      if (shown) stream.write('\r\u001b[K');
    },
  };
}

function listRules(): string {
  const width = Math.max(...allRules.map((rule: RuleMeta) => rule.id.length));
  const lines = allRules.map((rule: RuleMeta) => `${rule.id.padEnd(width)}  ${rule.defaultSeverity.padEnd(7)}  ${rule.description}\n`);
  // The pages ship with the package, so the path works offline, in the installed version.
  return `${lines.join('')}\nEach rule's page: ${path.join(RULE_DOCS_FOLDER, '<rule>.md')}\n`;
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed its message (or the help/version text) already.
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`breakwater: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof UserInputError) {
    process.stderr.write(`breakwater: ${where(error)}${error.message}\n`);
    return EXIT_USAGE;
  }
  const debug = /(^|,)\s*(breakwater\b|\*)/.test(process.env.DEBUG ?? '');
  const detail = error instanceof Error ? (debug ? error.stack ?? error.message : error.message) : String(error);
  process.stderr.write(`breakwater: internal error: ${detail}\n`);
  if (!debug) process.stderr.write('Run with DEBUG=breakwater to see the stack trace.\n');
  return EXIT_USAGE;
}

/** `file:line:col: `, as compilers print it, so terminals and editors can jump there. */
function where(error: UserInputError): string {
  if (!error.file) return '';
  const file = path.relative(process.cwd(), error.file) || error.file;
  if (error.line === undefined) return `${file}: `;
  return `${file}:${error.line}:${error.column ?? 1}: `;
}

async function main(argv: string[]): Promise<number> {
  // `breakwater check --help | head`: the reader went away. Nothing more can be said, so stop quietly, not with an
  // unhandled EPIPE and a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK);
    });
  }
  let exitCode = EXIT_OK;
  try {
    await buildProgram((code) => (exitCode = code)).parseAsync(argv);
    return exitCode;
  } catch (error) {
    return reportError(error);
  }
}

// process.exitCode rather than process.exit(): a large report piped to another process must be flushed first.
// Not in the large-stack extraction worker, which loads this bundle for its parser (engine/extract/deep.ts).
if (!inExtractionWorker) void main(process.argv).then((code) => (process.exitCode = code));
