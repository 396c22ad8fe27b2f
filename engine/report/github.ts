// GitHub Actions workflow commands: one line per problem, which the runner turns into an annotation on the file (and
// on the pull request's diff), with no upload step and no token:
//
//   ::warning file=src/orders.ts,line=3,col=10,endLine=3,endColumn=24,title=missing-timeout::axios has no timeout …
//
// Errors are `::error`. Notices (a file not read or analysed in full) are annotations titled "Breakwater", on their
// file when they have one. Paths are relative to the working directory, which in a workflow is the checkout.
// GitHub shows at most 10 annotations of each kind per step and 50 per job; SARIF upload has no such limit.
import type { AnalysisResult } from '../index';
import type { ReportOptions } from './index';
import { problemsByFile, relativePath, type Problem } from './problems';

const TOOL_TITLE = 'Breakwater';

export function formatGithub(result: AnalysisResult, options: ReportOptions = {}): string {
  const lines: string[] = [];
  for (const notice of result.notices ?? []) {
    if (notice.file === undefined) lines.push(command(notice.level, { title: TOOL_TITLE }, notice.message));
  }
  for (const { file, problems } of problemsByFile(result)) {
    const name = relativePath(result, file, options.cwd);
    for (const problem of problems) lines.push(command(problem.severity, { file: name, ...position(problem), title: problem.ruleId ?? TOOL_TITLE }, problem.message));
  }
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * Columns only on a one-line range: GitHub's annotations take `col`/`endColumn` only when `line` and `endLine` are
 * the same.
 */
function position(problem: Problem): Record<string, number | undefined> {
  if (problem.line === undefined) return {};
  const endLine = problem.endLine ?? problem.line;
  if (endLine !== problem.line) return { line: problem.line, endLine };
  return { line: problem.line, col: problem.column, endLine, endColumn: problem.endColumn };
}

function command(severity: 'error' | 'warning', properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${severity === 'error' ? 'error' : 'warning'} ${props}::${escapeData(message)}`;
}

/** As the runner (ActionCommand.cs) and @actions/core escape a command's data: `%`, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property's value also escapes `:` and `,`, which end the property list and the property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
