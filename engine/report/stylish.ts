// ESLint's "stylish" layout, so the output looks familiar in a terminal and in CI logs:
//
//   src/orders.ts
//     3:10  warning  axios has no timeout by default …  missing-timeout
//
//   ✖ 1 problem (0 errors, 1 warning)
import * as path from 'node:path';
import type { AnalysisResult } from '../index';
import type { Finding } from '../types';
import type { ReportOptions } from './index';

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
  const byFile = new Map<string, Finding[]>();
  for (const finding of result.findings) {
    if (finding.suppressed) continue;
    const list = byFile.get(finding.location.file) ?? [];
    list.push(finding);
    byFile.set(finding.location.file, list);
  }
  if (byFile.size === 0) return '';

  let errors = 0;
  let warnings = 0;
  let out = '\n';
  for (const [file, findings] of byFile) {
    out += `${paint(path.relative(cwd, path.resolve(result.root, file)), 'underline')}\n`;
    // Pad on the plain text, colour afterwards, so escape codes do not break the columns.
    const lineWidth = Math.max(...findings.map((f) => String(f.location.line).length));
    const columnWidth = Math.max(...findings.map((f) => String(f.location.column).length));
    const severityWidth = Math.max(...findings.map((f) => f.severity.length));
    const messageWidth = Math.max(...findings.map((f) => f.message.length));
    for (const finding of findings) {
      if (finding.severity === 'error') errors++;
      else warnings++;
      const position = `${String(finding.location.line).padStart(lineWidth)}:${String(finding.location.column).padEnd(columnWidth)}`;
      const severity = paint(finding.severity.padEnd(severityWidth), finding.severity === 'error' ? 'red' : 'yellow');
      out += `  ${paint(position, 'dim')}  ${severity}  ${finding.message.padEnd(messageWidth)}  ${paint(finding.ruleId, 'dim')}\n`;
    }
    out += '\n';
  }
  const total = errors + warnings;
  const summary = `\u2716 ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
  return `${out}${paint(summary, 'bold', errors > 0 ? 'red' : 'yellow')}\n`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
