// Where a data file (JSON, YAML) stops parsing, in words and as a line and column, for warnings and config errors.
import * as jsonc from 'jsonc-parser';

export interface SyntaxProblem {
  /** What is wrong, in words: "property name expected". */
  words: string;
  /** 1-based. */
  line: number;
  column: number;
}

/** jsonc-parser's error codes are enum names (`PropertyNameExpected`); a user reads "property name expected". */
export function jsonErrorWords(code: jsonc.ParseErrorCode): string {
  return jsonc
    .printParseErrorCode(code)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

/** The first syntax error of a JSON (with comments) text, or undefined when it parses. */
export function jsonSyntaxProblem(text: string): SyntaxProblem | undefined {
  const errors: jsonc.ParseError[] = [];
  jsonc.parse(text, errors, { allowTrailingComma: true });
  const first = errors[0];
  return first && { words: jsonErrorWords(first.error), ...lineAndColumn(text, first.offset) };
}

/** A `yaml` package parse error (YAMLParseError has `linePos`), or any error thrown while parsing. */
export function yamlSyntaxProblem(error: unknown): SyntaxProblem {
  const { message, linePos } = error as { message?: string; linePos?: Array<{ line: number; col: number }> };
  // The yaml package appends a code excerpt after the first line; keep the sentence.
  const words = String(message ?? error).split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return { words, line: linePos?.[0]?.line ?? 1, column: linePos?.[0]?.col ?? 1 };
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The warning for a data file that does not parse: the same words from every reader, so it is reported once. */
export function unparsedMessage(shown: string, format: 'JSON', problem: SyntaxProblem | undefined): string {
  return `${shown} is not valid ${format}${problem ? ` (${problem.words} at ${problem.line}:${problem.column})` : ''}; not used`;
}

/**
 * Where a JSON text nests deeper than `max` levels, or undefined. The parsers recurse, so a file nested 100,000 deep
 * would overflow the stack ("Maximum call stack size exceeded", with no file or position); this scan does not.
 */
export function jsonTooDeep(text: string, max: number): SyntaxProblem | undefined {
  const scanner = jsonc.createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== jsonc.SyntaxKind.EOF; token = scanner.scan()) {
    if (token === jsonc.SyntaxKind.OpenBraceToken || token === jsonc.SyntaxKind.OpenBracketToken) {
      if (++depth > max) return { words: `nested deeper than ${max} levels`, ...lineAndColumn(text, scanner.getTokenOffset()) };
    } else if (token === jsonc.SyntaxKind.CloseBraceToken || token === jsonc.SyntaxKind.CloseBracketToken) {
      depth--;
    }
  }
  return undefined;
}
