// ESLint's "stylish" layout, so the output looks familiar in a terminal and in CI logs:
//
//   src/orders.ts
//     3:10  warning  axios has no timeout by default …  missing-timeout
//
//   ✖ 1 problem (0 errors, 1 warning)
import * as path from 'node:path';
import type { AnalysisResult } from '../index';
import type { ReportOptions } from './index';
import { problemsByFile } from './problems';

const STYLES = {
  bold: [1, 22],
  dim: [2, 22],
  underline: [4, 24],
  red: [31, 39],
  yellow: [33, 39],
} as const;
type Style = keyof typeof STYLES;
type Paint = (text: string, ...styles: Style[]) => string;

function painter(enabled: boolean): Paint {
  if (!enabled) return (text) => text;
  return (text, ...styles) => styles.reduce((out, style) => `\u001b[${STYLES[style][0]}m${out}\u001b[${STYLES[style][1]}m`, text);
}

export function formatStylish(result: AnalysisResult, options: ReportOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const paint = painter(options.color ?? false);
  // Grouped by file, a file's notices first (a file not analysed, a syntax error, a broken manifest): they say how
  // far its findings go.
  const byFile = problemsByFile(result);
  if (byFile.length === 0) return '';

  let errors = 0;
  let warnings = 0;
  let out = '\n';
  for (const { file, problems } of byFile) {
    out += `${paint(escapeControls(path.relative(cwd, path.resolve(result.root, file))), 'underline')}\n`;
    // Pad on the plain text, colour afterwards, so escape codes do not break the columns.
    const shown = problems.map((problem) => ({ ...problem, message: escapeControls(problem.message) }));
    const lineWidth = Math.max(...shown.map((l) => String(l.line ?? 0).length));
    const columnWidth = Math.max(...shown.map((l) => String(l.column ?? 0).length));
    const severityWidth = Math.max(...shown.map((l) => l.severity.length));
    const messageWidth = Math.max(...shown.map((l) => l.message.length));
    for (const line of shown) {
      if (line.severity === 'error') errors++;
      else warnings++;
      // A notice with no position is about the whole file: ESLint prints 0:0 for those.
      const position = `${String(line.line ?? 0).padStart(lineWidth)}:${String(line.column ?? 0).padEnd(columnWidth)}`;
      const severity = paint(line.severity.padEnd(severityWidth), line.severity === 'error' ? 'red' : 'yellow');
      out += `  ${paint(position, 'dim')}  ${severity}  ${line.ruleId ? `${line.message.padEnd(messageWidth)}  ${paint(line.ruleId, 'dim')}` : line.message}\n`;
    }
    out += '\n';
  }
  const total = errors + warnings;
  const summary = `\u2716 ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
  return `${out}${paint(summary, 'bold', errors > 0 ? 'red' : 'yellow')}\n`;
}

/**
 * A file name (or a message quoting one) may hold any character but `/` and NUL. Printed raw, a CR, LF or an ANSI
 * escape sequence in it would rewrite the terminal or forge lines in a CI log, so control characters are escaped.
 */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
