// Inline directives, as ESLint users write them, read from the comments the parser sees (never from strings,
// templates or regular expressions that merely contain the words):
//   // breakwater-disable-next-line missing-timeout -- the SDK bounds this call
//   someCall(); // breakwater-disable-line missing-timeout
//   /* breakwater-disable missing-timeout -- until the client is replaced */ … /* breakwater-enable missing-timeout */
// A directive is the first word of its comment; the rules follow it, separated by commas or spaces, and the reason
// follows `--`.
import { ts } from 'ts-morph';
import type { DirectiveKind, SuppressionComment } from './facts';

const MARK = 'breakwater-';
const DIRECTIVE = /^\s*breakwater-(disable-next-line|disable-line|disable|enable)(?=\s|$)([\s\S]*)$/;

export function readSuppressions(sf: ts.SourceFile): SuppressionComment[] {
  const text = sf.text;
  // Where the words occur: only the nodes that hold one are walked, so files without directives cost one search.
  const marks: number[] = [];
  for (let at = text.indexOf(MARK); at !== -1; at = text.indexOf(MARK, at + MARK.length)) marks.push(at);
  if (marks.length === 0) return [];
  const holds = (node: ts.Node) => marks.some((at) => at >= node.pos && at < node.end);
  const seen = new Set<number>();
  const found: SuppressionComment[] = [];
  const visit = (node: ts.Node): void => {
    if (!holds(node) || (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode)) return;
    const children = node.getChildren(sf);
    if (children.length === 0) {
      // A token: the comments between the previous token and it. Those on the previous token's line are that token's
      // trailing comments, the others its own leading ones (the end-of-file token holds the last comments).
      for (const range of [...(ts.getTrailingCommentRanges(text, node.pos) ?? []), ...(ts.getLeadingCommentRanges(text, node.pos) ?? [])]) {
        if (seen.has(range.pos)) continue;
        seen.add(range.pos);
        const directive = parseComment(sf, range);
        if (directive) found.push(directive);
      }
      return;
    }
    for (const child of children) visit(child);
  };
  visit(sf);
  return found.sort((a, b) => a.line - b.line || a.column - b.column);
}

function parseComment(sf: ts.SourceFile, range: ts.CommentRange): SuppressionComment | undefined {
  const raw = sf.text.slice(range.pos, range.end);
  const body = range.kind === ts.SyntaxKind.MultiLineCommentTrivia ? raw.slice(2, -2) : raw.slice(2);
  const match = DIRECTIVE.exec(body);
  if (!match) return undefined;
  const [rulesText, justification] = splitJustification(match[2]);
  const rules = rulesText
    .split(/[\s,]+/)
    .map((rule) => rule.replace(/^breakwater\//, ''))
    .filter(Boolean);
  const start = sf.getLineAndCharacterOfPosition(range.pos);
  const end = sf.getLineAndCharacterOfPosition(range.end);
  return {
    kind: match[1] as DirectiveKind,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    rules,
    ...(justification && { justification }),
  };
}

function splitJustification(text: string): [string, string | undefined] {
  const separator = text.indexOf('--');
  if (separator < 0) return [text.trim(), undefined];
  return [text.slice(0, separator).trim(), text.slice(separator + 2).trim() || undefined];
}
