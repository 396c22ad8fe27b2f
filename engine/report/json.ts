// ESLint's JSON layout (an array of files, each with its messages), so tools that read ESLint output can read ours.
// Only files with findings are listed; suppressed findings are counted, not listed.
import * as path from 'node:path';
import type { AnalysisResult } from '../index';
import type { SourceLocation } from '../types';

interface JsonMessage {
  ruleId: string;
  /** ESLint's numbers: 1 warning, 2 error. */
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  service?: string;
  related?: Array<{ filePath: string; line: number; column: number; endLine: number; endColumn: number; message: string }>;
}

interface JsonFile {
  filePath: string;
  messages: JsonMessage[];
  errorCount: number;
  warningCount: number;
  suppressedCount: number;
}

export function formatJson(result: AnalysisResult): string {
  const absolute = (file: string) => path.resolve(result.root, file);
  const files = new Map<string, JsonFile>();
  // result.findings is sorted by file, line, column and rule, so the output order is stable.
  for (const finding of result.findings) {
    const file = finding.location.file;
    let entry = files.get(file);
    if (!entry) {
      entry = { filePath: absolute(file), messages: [], errorCount: 0, warningCount: 0, suppressedCount: 0 };
      files.set(file, entry);
    }
    if (finding.suppressed) {
      entry.suppressedCount++;
      continue;
    }
    if (finding.severity === 'error') entry.errorCount++;
    else entry.warningCount++;
    entry.messages.push({
      ruleId: finding.ruleId,
      severity: finding.severity === 'error' ? 2 : 1,
      message: finding.message,
      ...range(finding.location),
      service: finding.service,
      related: finding.related?.map((r) => ({ filePath: absolute(r.location.file), ...range(r.location), message: r.message })),
    });
  }
  return `${JSON.stringify([...files.values()], null, 2)}\n`;
}

function range(location: SourceLocation) {
  return { line: location.line, column: location.column, endLine: location.endLine, endColumn: location.endColumn };
}
