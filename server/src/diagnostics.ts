// How a finding becomes an LSP diagnostic: the rule ID as the code, a link to its doc page, the severity from config,
// and the other places involved as related information.
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { AnalysisResult, Finding, Notice, SourceLocation, UserInputError } from '../../engine';

export const SOURCE = 'breakwater';

export function toRange(location: Pick<SourceLocation, 'line' | 'column' | 'endLine' | 'endColumn'>): Range {
  return {
    start: { line: location.line - 1, character: location.column - 1 },
    end: { line: location.endLine - 1, character: location.endColumn - 1 },
  };
}

export function fileUri(root: string, relativePath: string): string {
  return pathToFileURL(path.join(root, relativePath)).toString();
}

/** The editor's own rule severities (`breakwater.rules`), over breakwater.json's, as vscode-eslint's rule customizations. */
export type SeverityOverrides = Record<string, 'off' | 'warn' | 'error'>;

/** Diagnostics by document URI. Suppressed findings, and rules the editor settings turn off, are left out. */
export function diagnosticsByUri(result: AnalysisResult, overrides: SeverityOverrides = {}): Map<string, Diagnostic[]> {
  const docs = new Map(result.rules.map((rule) => [rule.meta.id, rule.meta.docsUrl]));
  const byUri = new Map<string, Diagnostic[]>();
  for (const finding of result.findings) {
    const override = overrides[finding.ruleId];
    if (finding.suppressed || override === 'off') continue;
    const uri = fileUri(result.root, finding.location.file);
    const list = byUri.get(uri) ?? [];
    list.push(toDiagnostic(result.root, override ? { ...finding, severity: override === 'error' ? 'error' : 'warning' } : finding, docs.get(finding.ruleId)));
    byUri.set(uri, list);
  }
  for (const notice of result.notices) {
    if (notice.file === undefined) continue;
    const uri = fileUri(result.root, notice.file);
    byUri.set(uri, [noticeDiagnostic(notice), ...(byUri.get(uri) ?? [])]);
  }
  return byUri;
}

/**
 * A file Breakwater could not analyse, or read only in part (a syntax error, a broken manifest, a file too large), is
 * told on the file itself: a warning when nothing of it was analysed, information otherwise. No code, so no rule's
 * code actions are offered on it.
 */
function noticeDiagnostic(notice: Notice): Diagnostic {
  const line = (notice.line ?? 1) - 1;
  const character = (notice.column ?? 1) - 1;
  return {
    range: { start: { line, character }, end: { line, character } },
    severity: notice.level === 'error' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    source: SOURCE,
    message: notice.message,
  };
}

function toDiagnostic(root: string, finding: Finding, docsUrl: string | undefined): Diagnostic {
  return {
    range: toRange(finding.location),
    severity: finding.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: SOURCE,
    code: finding.ruleId,
    ...(docsUrl && { codeDescription: { href: docsUrl } }),
    message: panelMessage(finding.message),
    ...(finding.related?.length && {
      relatedInformation: finding.related.map((related) => ({
        location: { uri: fileUri(root, related.location.file), range: toRange(related.location) },
        message: related.message,
      })),
    }),
  };
}

/**
 * What a Problems panel shows of a finding: what is wrong and what to do, in plain text. The rationale (`Why: …`) goes
 * to the hover and the rule's doc (the diagnostic's code links to it); backticks, which the panel shows as they are, go.
 */
export function panelMessage(message: string): string {
  const why = message.search(/\s+Why: /);
  return (why >= 0 ? message.slice(0, why) : message).replace(/`/g, '');
}

/** A broken breakwater.json is a diagnostic on that file, at the position of the mistake. */
export function configDiagnostic(error: UserInputError): Diagnostic {
  const line = (error.line ?? 1) - 1;
  const character = (error.column ?? 1) - 1;
  return {
    range: { start: { line, character }, end: { line, character: character + 1 } },
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    code: 'config',
    message: error.message,
  };
}
