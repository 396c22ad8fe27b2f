// What the per-problem formats (stylish, compact, github, checkstyle, junit) print: each reported finding and each notice
// on a file, grouped by file in the order the JSON report uses (a file's notices before its findings), with the
// file's path as the reader of the report names it.
import * as path from 'node:path';
import type { AnalysisResult } from '../index';
import type { Severity, Suppression } from '../types';

export interface Problem {
  /** null for a notice (a file not read or not analysed in full). */
  ruleId: string | null;
  severity: Severity;
  message: string;
  /** A notice has a position only where its parser gave one. */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** Set on suppressed findings, which only some formats show. */
  suppressed?: Suppression;
}

export interface FileProblems {
  /** The workspace-relative path, as in the result. */
  file: string;
  problems: Problem[];
}

/** Problems per file; suppressed findings only with `withSuppressed`. Notices about no file are left out. */
export function problemsByFile(result: AnalysisResult, { withSuppressed = false } = {}): FileProblems[] {
  const files = new Map<string, Problem[]>();
  const add = (file: string, problem: Problem) => {
    const list = files.get(file) ?? [];
    list.push(problem);
    files.set(file, list);
  };
  for (const notice of result.notices ?? []) {
    if (notice.file === undefined) continue;
    add(notice.file, {
      ruleId: null,
      severity: notice.level,
      message: notice.message,
      ...(notice.line === undefined ? {} : { line: notice.line, column: notice.column ?? 1 }),
    });
  }
  // result.findings is sorted by file, line, column and rule, so the output order is stable.
  for (const finding of result.findings) {
    if (finding.suppressed && !withSuppressed) continue;
    const { line, column, endLine, endColumn } = finding.location;
    add(finding.location.file, {
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      line,
      column,
      endLine,
      endColumn,
      ...(finding.suppressed ? { suppressed: finding.suppressed } : {}),
    });
  }
  return [...files].map(([file, problems]) => ({ file, problems }));
}

/**
 * A workspace file's path relative to `cwd` (the folder CI runs in, where the report's reader resolves it), with `/`
 * as the separator on every platform.
 */
export function relativePath(result: AnalysisResult, file: string, cwd = process.cwd()): string {
  return path.relative(cwd, path.resolve(result.root, file)).split(path.sep).join('/');
}
