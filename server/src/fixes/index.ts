// Quick fixes that change code, one module per rule. Each takes the latest analysis and the diagnostics the editor
// asks about, and returns only edits it knows to be safe; a fix that cannot be made correctly is not offered.
import type { CodeAction, Diagnostic, Range, TextEdit } from 'vscode-languageserver/node';
import type { AnalysisResult } from '../../../engine';
import { breakerQuickFixes } from './breaker';
import { correlationQuickFixes } from './correlation';
import { databaseActions } from './database';
import { poolQuickFixes } from './pools';
import { timeoutQuickFixes } from './timeout';

/** What every rule's fixes get: the analysis, the document (as the editor has it) and the user's fix settings. */
export interface FixContext {
  result: AnalysisResult;
  /** The document's path relative to the workspace folder, with `/` separators. */
  relativePath: string;
  uri: string;
  text: string;
  diagnostics: Diagnostic[];
  /** The milliseconds a fix writes when it adds a timeout (`breakwater.defaultTimeoutMs`). */
  defaultTimeoutMs: number;
}

export function quickFixes(context: FixContext): CodeAction[] {
  return [...safeFixes(context), ...breakerQuickFixes(context), ...poolQuickFixes(context), ...databaseActions(context)];
}

/**
 * Fixes that only add what is missing where the finding is, and change nothing else: a timeout option, a correlation
 * header. Wrapping in a breaker and splitting a pool change how calls run, so they are never applied unasked.
 */
function safeFixes(context: FixContext): CodeAction[] {
  const { result, relativePath, uri, text, diagnostics, defaultTimeoutMs } = context;
  return [...timeoutQuickFixes(result, relativePath, uri, text, diagnostics, defaultTimeoutMs), ...correlationQuickFixes(context)];
}

/**
 * `source.fixAll.breakwater`: the safe fixes of the whole document as one list of edits. A fix whose edits overlap or
 * touch those of a fix already taken is left for the next run (two inserts at one spot would produce broken code).
 */
export function fixAllEdits(context: FixContext): TextEdit[] {
  const taken: TextEdit[] = [];
  for (const fix of safeFixes(context)) {
    const changes = fix.edit?.changes ?? {};
    const edits = changes[context.uri] ?? [];
    if (edits.length === 0 || Object.keys(changes).length !== 1) continue;
    if (edits.some((edit) => taken.some((other) => touches(edit.range, other.range)))) continue;
    taken.push(...edits);
  }
  return taken;
}

function touches(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
