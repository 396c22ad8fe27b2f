// Code actions every rule has, as in vscode-eslint: disable for this line (with a place for the reason), disable for
// the whole file, and show the rule's documentation. Hover shows what Breakwater resolved about the call.
import {
  CodeActionKind,
  MarkupKind,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type Position,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { AnalysisResult } from '../../engine';
import { SOURCE, toRange } from './diagnostics';

export const OPEN_DOCS_COMMAND = 'breakwater.openDocs';

export function codeActions(uri: string, text: string, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const lines = text.split(/\r?\n/);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== SOURCE || typeof diagnostic.code !== 'string' || diagnostic.code === 'config') continue;
    const rule = diagnostic.code;
    const line = diagnostic.range.start.line;
    const indent = /^\s*/.exec(lines[line] ?? '')?.[0] ?? '';
    const edit = (edits: TextEdit[]) => ({ changes: { [uri]: edits } });
    // No `-- <reason>` placeholder: a client that cannot put the cursor there would leave it in the code. A reason
    // is optional (`-- why`), as in ESLint's directives.
    actions.push({
      title: `Disable ${rule} for this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: edit([{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}// breakwater-disable-next-line ${rule}${eol}` }]),
    });
    actions.push({
      title: `Disable ${rule} for the entire file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: edit([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `/* breakwater-disable ${rule} */${eol}` }]),
    });
    if (diagnostic.codeDescription?.href) {
      actions.push({
        title: `Show documentation for ${rule}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: `Show documentation for ${rule}`, command: OPEN_DOCS_COMMAND, arguments: [diagnostic.codeDescription.href] },
      });
    }
  }
  return actions;
}

/** What Breakwater resolved about the call or client under the cursor: target, library, timeout and the policies it runs under. */
export function hover(result: AnalysisResult, relativePath: string, position: Position): Hover | undefined {
  const at = (location: { file: string; line: number; column: number; endLine: number; endColumn: number }) => {
    if (location.file !== relativePath) return false;
    const range = toRange(location);
    const after = (a: Position, b: Position) => a.line > b.line || (a.line === b.line && a.character >= b.character);
    return after(position, range.start) && after(range.end, position);
  };
  const call = result.model.calls.find((candidate) => at(candidate.location));
  const client = call?.client ? result.model.clients.find((candidate) => candidate.id === call.client) : result.model.clients.find((candidate) => at(candidate.location));
  // The findings here, whole: the panel shows only what to do, the hover adds why.
  const findings = result.findings.filter((finding) => !finding.suppressed && at(finding.location));
  if (!call && !client && findings.length === 0) return undefined;
  const lines: string[] = findings.map((finding) => `${finding.message} (${finding.ruleId})`);
  if (lines.length > 0 && (call || client)) lines.push('');
  if (call) {
    // The origin's variable names the downstream; others in the URL (`/tenants/${TENANT_ID}`) are only its path.
    const target = call.target.service ? `the ${call.target.service} service` : call.target.host ?? (call.target.envVars?.length ? `the downstream at ${call.target.envVars[0]}` : undefined) ?? call.target.url ?? 'not resolved';
    lines.push(`**${call.callee}()** — ${call.library} (${call.kind}) call to ${target}`);
    lines.push(`- Timeout: ${describeVerdict(call.timeout)}`);
    const policies = call.policies.map(({ id }) => result.model.policies.find((policy) => policy.id === id)).filter(Boolean);
    lines.push(`- Runs under: ${policies.length > 0 ? policies.map((policy) => `${policy!.callee}() (${policy!.kinds.join(', ')})`).join('; ') : call.alwaysUnder.length > 0 ? call.alwaysUnder.join(', ') : 'no breaker, timeout policy or limiter'}`);
    if (call.headers) lines.push(`- Headers: ${call.headers.length > 0 ? call.headers.join(', ') : 'none'}`);
  }
  if (client) {
    lines.push(`${call ? '- Client' : `**${client.callee}()** — ${client.library} ${client.role}`}: created at ${client.location.file}:${client.location.line}; timeout ${describeVerdict(client.timeout)}`);
  }
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') } };
}

function describeVerdict(verdict: AnalysisResult['model']['calls'][number]['timeout']): string {
  if (verdict.status === 'unknown') return 'cannot be told from the code';
  const ms = verdict.ms !== undefined ? `${verdict.ms} ms, ` : '';
  if (verdict.status === 'bounded') return `${ms}from ${verdict.source.replace(/-/g, ' ')}${verdict.detail ? ` (${verdict.detail})` : ''}`;
  return `none — ${verdict.detail ?? 'no timeout is set'}`;
}
