// ESLint's "compact" layout, one line per problem, which problem matchers (VS Code's $eslint-compact, GitHub's
// problem-matcher examples) and grep read:
//
//   src/orders.ts: line 3, col 10, Warning - axios has no timeout … (missing-timeout)
//
//   1 problem
//
// Paths are relative to the working directory; a notice has no rule in parentheses and, without a position, line 0.
// Control characters in names and messages are escaped, so a file name cannot forge a line.
import type { AnalysisResult } from '../index';
import type { ReportOptions } from './index';
import { problemsByFile, relativePath } from './problems';
import { escapeControls } from './stylish';

export function formatCompact(result: AnalysisResult, options: ReportOptions = {}): string {
  let out = '';
  let total = 0;
  for (const { file, problems } of problemsByFile(result)) {
    const name = escapeControls(relativePath(result, file, options.cwd));
    for (const problem of problems) {
      total++;
      const type = problem.severity === 'error' ? 'Error' : 'Warning';
      const rule = problem.ruleId ? ` (${problem.ruleId})` : '';
      out += `${name}: line ${problem.line ?? 0}, col ${problem.column ?? 0}, ${type} - ${escapeControls(problem.message)}${rule}\n`;
    }
  }
  return total > 0 ? `${out}\n${total} problem${total === 1 ? '' : 's'}\n` : '';
}
