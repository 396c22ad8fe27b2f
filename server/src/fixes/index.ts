// Quick fixes that change code, one module per rule. Each takes the latest analysis and the diagnostics the editor
// asks about, and returns only edits it knows to be safe; a fix that cannot be made correctly is not offered.
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import type { AnalysisResult } from '../../../engine';
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
  return [...timeoutQuickFixes(context.result, context.relativePath, context.uri, context.text, context.diagnostics, context.defaultTimeoutMs)];
}
