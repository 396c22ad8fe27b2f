// SARIF 2.1.0, the format GitHub code scanning and other CI dashboards read. One run; paths relative to
// %SRCROOT% (the workspace root) so the file can be uploaded from any checkout location.
// Unlike the other formats, suppressed findings are included, marked with `suppressions`, as SARIF intends: `inSource`
// for a disable comment, `external` for the suppressions file. With a suppressions file in use, every result also has
// a `baselineState`: `unchanged` when the file lists it, `new` otherwise.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { AnalysisResult } from '../index';
import type { Finding, Notice, Severity, SourceLocation } from '../types';
import { PUBLIC_DOCS_BASE_URL } from '../../rules/types';
import { version } from '../../package.json';
import { sortNotifications } from './sarif-merge';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The project's public home, once the docs have one; until then the log names none. */
const REPOSITORY_URL = PUBLIC_DOCS_BASE_URL?.replace(/\/blob\/.*$/, '');
const SRCROOT = '%SRCROOT%';
/** Bump the key when the hash input changes, so dashboards do not match old fingerprints against new ones. */
const FINGERPRINT_KEY = 'breakwater/v1';

/** Shown as filters in code-scanning UIs. */
const RULE_TAGS: Record<string, string[]> = {
  'missing-timeout': ['reliability', 'timeout'],
  'unguarded-downstream-call': ['reliability', 'circuit-breaker'],
  'shared-connection-pool': ['reliability', 'bulkhead'],
  'cross-service-db-access': ['architecture', 'database'],
  'missing-correlation-id': ['observability', 'tracing'],
};

export function formatSarif(result: AnalysisResult): string {
  const ruleIndex = new Map(result.rules.map((rule, index) => [rule.meta.id, index]));
  const rules = result.rules.map(({ meta }) => ({
    id: meta.id,
    name: meta.id,
    shortDescription: { text: meta.description },
    fullDescription: { text: meta.description },
    ...help(meta.id, meta.description, meta.docsUrl),
    defaultConfiguration: { level: meta.defaultSeverity },
    properties: { tags: ['breakwater', ...(RULE_TAGS[meta.id] ?? [])] },
  }));
  // The effective severity may differ from the default (breakwater.json); SARIF records that per invocation.
  const overrides = result.rules.flatMap((rule, index) =>
    rule.severity === rule.meta.defaultSeverity ? [] : [{ descriptor: { id: rule.meta.id, index }, configuration: { level: level(rule.severity) } }],
  );

  const ordinals = new Map<string, number>();
  // With a suppressions file in use, each result says whether it was there already (SARIF's baseline).
  const baseline = result.bulkSuppressions !== undefined;
  const results = result.findings.map((finding) => {
    const index = ruleIndex.get(finding.ruleId);
    return {
      ruleId: finding.ruleId,
      ...(index === undefined ? {} : { ruleIndex: index }),
      level: level(finding.severity),
      message: { text: finding.message },
      locations: [{ physicalLocation: physicalLocation(finding.location) }],
      ...(finding.related?.length
        ? {
            relatedLocations: finding.related.map((related, i) => ({
              id: i + 1,
              message: { text: related.message },
              physicalLocation: physicalLocation(related.location),
            })),
          }
        : {}),
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(finding, ordinals) },
      ...(finding.suppressed ? { suppressions: [suppression(finding)] } : {}),
      ...(baseline ? { baselineState: finding.suppressed?.kind === 'external' ? ('unchanged' as const) : ('new' as const) } : {}),
      ...(finding.service ? { properties: { service: finding.service } } : {}),
    };
  });

  const rootUri = pathToFileURL(result.root).href;
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Breakwater', ...(REPOSITORY_URL && { informationUri: REPOSITORY_URL }), semanticVersion: version, version, rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri.endsWith('/') ? rootUri : `${rootUri}/` } },
        invocations: [invocation(result.notices ?? [], overrides)],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * A web page is linked (`helpUri`). A page in the installed package (a file: URL, until the docs are public) is not:
 * the log is read on another machine (a code-scanning UI), so the help names the page inside the package instead.
 */
function help(id: string, description: string, docsUrl: string) {
  if (/^https?:\/\//.test(docsUrl)) {
    return { helpUri: docsUrl, help: { text: `${description} See ${docsUrl}`, markdown: `${description}\n\n[Documentation](${docsUrl})` } };
  }
  const page = `docs/rules/${id}.md`;
  return { help: { text: `${description} See ${page} in the breakwater package.`, markdown: `${description}\n\nSee \`${page}\` in the \`breakwater\` package.` } };
}

/**
 * What was not analysed is reported as the tool's own notifications, on the file, not as results: code-scanning UIs
 * show them as the tool's health. A source file that could not be analysed at all makes the run unsuccessful.
 */
function invocation(notices: readonly Notice[], overrides: unknown[]) {
  const notifications = sortNotifications(notices.map((notice) => ({
    level: notice.level,
    message: { text: notice.message },
    ...(notice.file === undefined
      ? {}
      : {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: fileUri(notice.file), uriBaseId: SRCROOT },
                ...(notice.line === undefined ? {} : { region: { startLine: notice.line, startColumn: notice.column ?? 1 } }),
              },
            },
          ],
        }),
  })));
  return {
    executionSuccessful: !notices.some((notice) => notice.level === 'error'),
    ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
    ...(overrides.length ? { ruleConfigurationOverrides: overrides } : {}),
  };
}

function level(severity: Severity): 'error' | 'warning' {
  return severity === 'error' ? 'error' : 'warning';
}

function physicalLocation(location: SourceLocation) {
  return {
    artifactLocation: { uri: fileUri(location.file), uriBaseId: SRCROOT },
    region: { startLine: location.line, startColumn: location.column, endLine: location.endLine, endColumn: location.endColumn },
  };
}

/** A relative URI reference: each path segment escaped, so spaces, `#` and `%` in file names survive. */
function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** A comment in the source is `inSource`; an entry of the suppressions file (`--suppress-all`) is `external`. */
function suppression(finding: Finding) {
  const justification = finding.suppressed?.justification;
  return { kind: finding.suppressed?.kind === 'external' ? ('external' as const) : ('inSource' as const), ...(justification ? { justification } : {}) };
}

/**
 * The finding's own fingerprint (engine/fingerprint.ts: rule, file, the code's tokens and the functions around it,
 * no line numbers), the one the suppressions file matches on, with `:n` after it: identical findings in one file are
 * told apart by their order. A finding made without `analyse()` has none; then the rule, file and message stand in.
 */
function fingerprint(finding: Finding, ordinals: Map<string, number>): string {
  const key = finding.fingerprint ?? createHash('sha256').update(`${finding.ruleId}|${finding.location.file}|${finding.message}`).digest('hex').slice(0, 16);
  const ordinal = (ordinals.get(key) ?? 0) + 1;
  ordinals.set(key, ordinal);
  return `${key}:${ordinal}`;
}
