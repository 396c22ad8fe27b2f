// ESLint's JSON results (`eslint --format json`): an array of files, each with its messages and counts, so ESLint's
// own formatters and the tools that read ESLint JSON read ours. Documented by schema/report.schema.json.
//
// Only files with findings or notices are listed. Suppressed findings go to `suppressedMessages` with ESLint's
// `suppressions` (kind "directive" for an inline comment, "external" for the suppressions file). A notice (a file not read
// or not analysed in full, a syntax error, a broken manifest) is a message with no rule, as ESLint reports a parsing
// error; one about a source file not analysed at all is `fatal` and an error, the others warnings, since the rest of
// the analysis went on. Breakwater adds `service` and `related` to messages and `suppressedCount` to files.
// Breakwater applies no fixes from the command line yet, so no message has `fix` and the fixable counts are 0.
import * as path from 'node:path';
import type { AnalysisResult } from '../index';
import type { Finding, SourceLocation } from '../types';

interface JsonRelated {
  filePath: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

interface JsonMessage {
  /** null for a notice. */
  ruleId: string | null;
  /** ESLint's numbers: 1 warning, 2 error. */
  severity: 1 | 2;
  message: string;
  /** A notice has a position only where its parser gave one. */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** ESLint's mark of a file that could not be analysed at all. */
  fatal?: true;
  service?: string;
  related?: JsonRelated[];
}

interface JsonSuppressedMessage extends JsonMessage {
  suppressions: Array<{ kind: 'directive' | 'external'; justification: string }>;
}

interface JsonFile {
  filePath: string;
  messages: JsonMessage[];
  suppressedMessages: JsonSuppressedMessage[];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  /** Breakwater's own: suppressedMessages.length, kept for readers of earlier reports. */
  suppressedCount: number;
  usedDeprecatedRules: Array<{ ruleId: string; replacedBy: string[] }>;
}

export function formatJson(result: AnalysisResult): string {
  const absolute = (file: string) => path.resolve(result.root, file);
  const files = new Map<string, JsonFile>();
  const entryFor = (file: string): JsonFile => {
    let entry = files.get(file);
    if (!entry) {
      entry = {
        filePath: absolute(file),
        messages: [],
        suppressedMessages: [],
        errorCount: 0,
        fatalErrorCount: 0,
        warningCount: 0,
        fixableErrorCount: 0,
        fixableWarningCount: 0,
        suppressedCount: 0,
        usedDeprecatedRules: [],
      };
      files.set(file, entry);
    }
    return entry;
  };
  // A file's notices come before its findings: they say how far the findings can be trusted.
  for (const notice of result.notices ?? []) {
    if (notice.file === undefined) continue;
    const entry = entryFor(notice.file);
    if (notice.level === 'error') {
      entry.errorCount++;
      entry.fatalErrorCount++;
    } else entry.warningCount++;
    entry.messages.push({
      ruleId: null,
      severity: notice.level === 'error' ? 2 : 1,
      message: notice.message,
      ...(notice.line === undefined ? {} : { line: notice.line, column: notice.column ?? 1 }),
      ...(notice.level === 'error' ? { fatal: true as const } : {}),
    });
  }
  // result.findings is sorted by file, line, column and rule, so the output order is stable.
  for (const finding of result.findings) {
    const entry = entryFor(finding.location.file);
    if (finding.suppressed) {
      entry.suppressedCount++;
      entry.suppressedMessages.push({ ...message(finding, absolute), suppressions: [suppression(finding.suppressed)] });
      continue;
    }
    if (finding.severity === 'error') entry.errorCount++;
    else entry.warningCount++;
    entry.messages.push(message(finding, absolute));
  }
  return `${JSON.stringify([...files.values()], null, 2)}\n`;
}

function message(finding: Finding, absolute: (file: string) => string): JsonMessage {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity === 'error' ? 2 : 1,
    message: finding.message,
    ...range(finding.location),
    service: finding.service,
    related: finding.related?.map((r) => ({ filePath: absolute(r.location.file), ...range(r.location), message: r.message })),
  };
}

/** An inline comment is ESLint's "directive"; the suppressions file is "external", as ESLint names suppressions from outside the code. */
function suppression(suppressed: NonNullable<Finding['suppressed']>): JsonSuppressedMessage['suppressions'][number] {
  return { kind: suppressed.kind === 'inline' ? 'directive' : 'external', justification: suppressed.justification ?? '' };
}

function range(location: SourceLocation) {
  return { line: location.line, column: location.column, endLine: location.endLine, endColumn: location.endColumn };
}
