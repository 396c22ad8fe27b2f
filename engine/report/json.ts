// ESLint's JSON layout (an array of files, each with its messages), so tools that read ESLint output can read ours.
// Only files with findings or notices are listed; suppressed findings are not in `messages` but in
// `suppressedMessages`, as ESLint lists them, each with why (`directive` or `external`). A notice (a file not
// read or not analysed, a syntax error, a broken manifest) is a message with no rule, as ESLint reports a parsing
// error; unlike ESLint's, it is counted as a warning, since the rest of the analysis went on.
import * as path from 'node:path';
import type { AnalysisResult } from '../index';
import type { SourceLocation } from '../types';

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
  service?: string;
  related?: Array<{ filePath: string; line: number; column: number; endLine: number; endColumn: number; message: string }>;
}

interface JsonFile {
  filePath: string;
  messages: JsonMessage[];
  /** ESLint's field: the findings a disable comment (`directive`) or the suppressions file (`external`) suppressed. */
  suppressedMessages: Array<JsonMessage & { suppressions: Array<{ kind: 'directive' | 'external'; justification: string }> }>;
  errorCount: number;
  warningCount: number;
  suppressedCount: number;
}

export function formatJson(result: AnalysisResult): string {
  const absolute = (file: string) => path.resolve(result.root, file);
  const files = new Map<string, JsonFile>();
  const entryFor = (file: string): JsonFile => {
    let entry = files.get(file);
    if (!entry) {
      entry = { filePath: absolute(file), messages: [], suppressedMessages: [], errorCount: 0, warningCount: 0, suppressedCount: 0 };
      files.set(file, entry);
    }
    return entry;
  };
  // A file's notices come before its findings: they say how far the findings can be trusted.
  for (const notice of result.notices ?? []) {
    if (notice.file === undefined) continue;
    const entry = entryFor(notice.file);
    if (notice.level === 'error') entry.errorCount++;
    else entry.warningCount++;
    entry.messages.push({
      ruleId: null,
      severity: notice.level === 'error' ? 2 : 1,
      message: notice.message,
      ...(notice.line === undefined ? {} : { line: notice.line, column: notice.column ?? 1 }),
    });
  }
  // result.findings is sorted by file, line, column and rule, so the output order is stable.
  for (const finding of result.findings) {
    const entry = entryFor(finding.location.file);
    const message: JsonMessage = {
      ruleId: finding.ruleId,
      severity: finding.severity === 'error' ? 2 : 1,
      message: finding.message,
      ...range(finding.location),
      service: finding.service,
      related: finding.related?.map((r) => ({ filePath: absolute(r.location.file), ...range(r.location), message: r.message })),
    };
    if (finding.suppressed) {
      entry.suppressedCount++;
      const kind = finding.suppressed.kind === 'external' ? 'external' : 'directive';
      entry.suppressedMessages.push({ ...message, suppressions: [{ kind, justification: finding.suppressed.justification ?? '' }] });
      continue;
    }
    if (finding.severity === 'error') entry.errorCount++;
    else entry.warningCount++;
    entry.messages.push(message);
  }
  return `${JSON.stringify([...files.values()], null, 2)}\n`;
}

function range(location: SourceLocation) {
  return { line: location.line, column: location.column, endLine: location.endLine, endColumn: location.endColumn };
}
