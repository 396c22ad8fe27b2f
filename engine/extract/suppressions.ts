// Inline suppression comments, as ESLint users write them:
//   // breakwater-disable-next-line missing-timeout -- the SDK bounds this call
//   someCall(); // breakwater-disable-line missing-timeout
//   /* breakwater-disable missing-timeout -- whole file */
import type { SuppressionComment } from './facts';

// The directive must end at a space, the end of the line or `*/`: `breakwater-disable-nextline` (a typo) is no directive.
const DIRECTIVE = /(?:\/\/|\/\*)\s*breakwater-disable(-next-line|-line)?(?=\s|\*\/|$)([^\n]*?)(?:\*\/|$)/gm;

export function readSuppressions(text: string): SuppressionComment[] {
  if (!text.includes('breakwater-disable')) return [];
  const found: SuppressionComment[] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    const line = lineOf(text, match.index ?? 0);
    const [rulesText, justification] = splitJustification(match[2]);
    const rules = rulesText
      .split(/[\s,]+/)
      .map((rule) => rule.replace(/^breakwater\//, ''))
      .filter(Boolean);
    const target = match[1] === '-next-line' ? line + 1 : match[1] === '-line' ? line : 0;
    found.push({ line: target, rules, ...(justification && { justification }) });
  }
  return found;
}

function splitJustification(text: string): [string, string | undefined] {
  const separator = text.indexOf('--');
  if (separator < 0) return [text.trim(), undefined];
  return [text.slice(0, separator).trim(), text.slice(separator + 2).trim() || undefined];
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
