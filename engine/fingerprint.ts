// A finding's fingerprint: what stays the same while the code it is about stays the same. It is made of the rule, the
// file, the code the finding is on (its tokens, so whitespace, comments, line breaks and quote style do not count) and
// the functions that hold it (their names, outermost first), never of line numbers. Lines added above a finding, or a
// reformat, keep it; a change to the call itself, or moving it to another function, makes it another finding.
// The bulk-suppressions file (engine/bulk-suppressions.ts) matches on it, and SARIF carries it as partialFingerprints.
import { createHash } from 'node:crypto';
import { ts } from 'ts-morph';
import type { FileFacts, FunctionFact } from './extract/facts';
import type { Finding } from './types';

/** Adds `fingerprint` to each finding; `sources` gives a workspace file's text and facts, when it was analysed. */
export function addFingerprints(findings: Finding[], sources: (file: string) => { text: string; facts: FileFacts } | undefined): Finding[] {
  const lineStarts = new Map<string, number[]>();
  return findings.map((finding) => {
    const source = sources(finding.location.file);
    let code: string;
    let context = '';
    if (source) {
      let starts = lineStarts.get(finding.location.file);
      if (!starts) lineStarts.set(finding.location.file, (starts = computeLineStarts(source.text)));
      const start = offsetOf(starts, source.text, finding.location.line, finding.location.column);
      const end = Math.max(start, offsetOf(starts, source.text, finding.location.endLine, finding.location.endColumn));
      code = normaliseCode(source.text.slice(start, end));
      context = enclosingFunctions(source.facts, finding.location.line, finding.location.column).join(' > ');
    } else {
      // Not a source file Breakwater parsed (none today): the message is all there is.
      code = finding.message.replace(/\s+/g, ' ').trim();
    }
    return { ...finding, fingerprint: fingerprintOf(finding.ruleId, finding.location.file, code, context) };
  });
}

export function fingerprintOf(ruleId: string, file: string, code: string, context: string): string {
  return createHash('sha256').update(`${ruleId}\u0000${file}\u0000${context}\u0000${code}`).digest('hex').slice(0, 16);
}

/**
 * The code's tokens joined by one space: whitespace, line breaks and comments drop out, string literals are written
 * one way (`'a'` and `"a"` are the same), and a trailing comma before a closing bracket is left out (formatters add
 * and remove them).
 */
export function normaliseCode(code: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, code);
  const tokens: string[] = [];
  // The scanner alone cannot tell a template's `}` from a block's, nor a regular expression from a division: the
  // parser tells it, by rescanning. Open braces are counted inside each template `${`, and a `/` where no value ends
  // starts a regular expression.
  const templates: number[] = [];
  let previous: ts.SyntaxKind | undefined;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.OpenBraceToken && templates.length > 0) templates[templates.length - 1]++;
    if (kind === ts.SyntaxKind.CloseBraceToken && templates.length > 0) {
      if (templates[templates.length - 1] === 0) {
        kind = scanner.reScanTemplateToken(false);
        if (kind === ts.SyntaxKind.TemplateTail) templates.pop();
      } else {
        templates[templates.length - 1]--;
      }
    }
    if ((kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) && !endsValue(previous)) kind = scanner.reScanSlashToken();
    if (kind === ts.SyntaxKind.TemplateHead) templates.push(0);
    previous = kind;
    if (kind === ts.SyntaxKind.StringLiteral || kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral) {
      tokens.push(JSON.stringify(scanner.getTokenValue()));
    } else if (
      (kind === ts.SyntaxKind.CloseParenToken || kind === ts.SyntaxKind.CloseBracketToken || kind === ts.SyntaxKind.CloseBraceToken) &&
      tokens[tokens.length - 1] === ','
    ) {
      tokens[tokens.length - 1] = scanner.getTokenText();
    } else {
      tokens.push(scanner.getTokenText());
    }
  }
  return tokens.join(' ');
}

/** Whether a token of this kind can end a value (so a `/` after it divides). */
function endsValue(kind: ts.SyntaxKind | undefined): boolean {
  if (kind === undefined) return false;
  return (
    kind === ts.SyntaxKind.Identifier ||
    kind === ts.SyntaxKind.PrivateIdentifier ||
    kind === ts.SyntaxKind.NumericLiteral ||
    kind === ts.SyntaxKind.BigIntLiteral ||
    kind === ts.SyntaxKind.StringLiteral ||
    kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral ||
    kind === ts.SyntaxKind.TemplateTail ||
    kind === ts.SyntaxKind.RegularExpressionLiteral ||
    kind === ts.SyntaxKind.CloseParenToken ||
    kind === ts.SyntaxKind.CloseBracketToken ||
    kind === ts.SyntaxKind.CloseBraceToken ||
    kind === ts.SyntaxKind.ThisKeyword ||
    kind === ts.SyntaxKind.SuperKeyword ||
    kind === ts.SyntaxKind.TrueKeyword ||
    kind === ts.SyntaxKind.FalseKeyword ||
    kind === ts.SyntaxKind.NullKeyword ||
    kind === ts.SyntaxKind.PlusPlusToken ||
    kind === ts.SyntaxKind.MinusMinusToken
  );
}

/** The names of the functions around a position, outermost first (`OrdersController.create > <anonymous>`). */
function enclosingFunctions(facts: FileFacts, line: number, column: number): string[] {
  const holding = facts.functions.filter((fn) => contains(fn, line, column));
  // Outermost first: the one that starts earliest, and for the same start, the longest.
  holding.sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column || b.span.endLine - a.span.endLine || b.span.endColumn - a.span.endColumn);
  return holding.map((fn) => {
    const owner = fn.cls >= 0 ? facts.classes[fn.cls]?.name : undefined;
    const name = fn.name ?? '<anonymous>';
    return owner ? `${owner}.${name}` : name;
  });
}

function contains(fn: FunctionFact, line: number, column: number): boolean {
  const { span } = fn;
  const afterStart = line > span.line || (line === span.line && column >= span.column);
  const beforeEnd = line < span.endLine || (line === span.endLine && column <= span.endColumn);
  return afterStart && beforeEnd;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function offsetOf(starts: number[], text: string, line: number, column: number): number {
  const start = starts[Math.min(Math.max(line, 1), starts.length) - 1];
  return Math.min(text.length, start + Math.max(column, 1) - 1);
}
