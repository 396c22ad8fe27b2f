// Formatters turn one AnalysisResult into the text the CLI prints. They do no I/O, so the language server and
// tests can call them as they are. Filtering (--quiet, path scopes) happens before: a formatter prints what it gets.
import type { AnalysisResult } from '../index';
import type { Finding, Notice } from '../types';
import { formatStylish } from './stylish';
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatGithub } from './github';
import { formatJunit } from './junit';
import { formatCheckstyle } from './checkstyle';
import { formatCompact } from './compact';

export interface ReportOptions {
  /** The folder the paths of stylish, compact, github, checkstyle and junit are relative to; default: the process's working directory. */
  cwd?: string;
  /** ANSI colours (stylish only). */
  color?: boolean;
}

export type Formatter = (result: AnalysisResult, options?: ReportOptions) => string;

export const formatters = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
  junit: formatJunit,
  checkstyle: formatCheckstyle,
  compact: formatCompact,
} satisfies Record<string, Formatter>;

export type FormatName = keyof typeof formatters;
export const formatNames = Object.keys(formatters) as FormatName[];

export interface FindingCounts {
  errors: number;
  warnings: number;
  suppressed: number;
}

/**
 * Suppressed findings are counted apart: they never fail a build. Notices on files count as ESLint counts a parsing
 * error or an ignored file: a file that could not be analysed is an error, the others warnings.
 */
export function countFindings(findings: readonly Finding[], notices: readonly Notice[] = []): FindingCounts {
  const counts: FindingCounts = { errors: 0, warnings: 0, suppressed: 0 };
  for (const notice of notices) {
    if (notice.file === undefined) continue;
    if (notice.level === 'error') counts.errors++;
    else counts.warnings++;
  }
  for (const finding of findings) {
    if (finding.suppressed) counts.suppressed++;
    else if (finding.severity === 'error') counts.errors++;
    else counts.warnings++;
  }
  return counts;
}

export { formatStylish, formatJson, formatSarif, formatGithub, formatJunit, formatCheckstyle, formatCompact };
