// Every parse of a workspace YAML file (compose files, Kubernetes manifests, pnpm-workspace.yaml) goes through here,
// so each has the same explicit alias limit and the same words when it is not used. An alias bomb ("billion laughs":
// ten levels of ten aliases are 10^10 nodes once expanded) is refused after YAML_MAX_ALIASES alias uses.
import { parse, parseAllDocuments } from 'yaml';
import { yamlSyntaxProblem, type SyntaxProblem } from './syntax';

/**
 * How many times an anchor may be used through aliases in one file (nested aliases count as expanded). A compose
 * file that gives 100 services the same `<<: *common` settings is read; the 101st use is refused.
 */
export const YAML_MAX_ALIASES = 100;

/**
 * How deep a YAML file may nest (block levels, counted by indentation, plus flow brackets). The yaml package composes
 * recursively: about 800 levels overflow Node's stack, and its parser slows down with depth (1,000,000 nested `[`,
 * 2 MB, took 42 s to be refused), so deeper files are refused by a linear scan before parsing.
 */
export const YAML_MAX_DEPTH = 256;

/**
 * Why a YAML text was not used: a syntax error (with its place), too many aliases (the yaml error has no place), or
 * nesting deeper than YAML_MAX_DEPTH (where the scan passed it).
 */
export type YamlProblem = ({ kind: 'syntax' } & SyntaxProblem) | { kind: 'aliases' } | { kind: 'deep'; line: number; column: number };

const OPTIONS = {
  merge: true, // compose files share settings through `<<: *anchor`
  // The yaml package counts the anchored node itself as the first use, so N aliases need N + 1.
  maxAliasCount: YAML_MAX_ALIASES + 1,
  // Errors still throw; warnings (an unknown tag) are not printed to stderr as process warnings.
  logLevel: 'error',
} as const;

/** One YAML document as plain data, or why not. */
export function parseYamlData(text: string): { value: unknown } | { problem: YamlProblem } {
  const deep = yamlTooDeep(text);
  if (deep) return { problem: { kind: 'deep', ...deep } };
  try {
    return { value: parse(text, OPTIONS) };
  } catch (error) {
    return { problem: yamlProblem(error) };
  }
}

/**
 * Every document of a multi-document file (`---`) as plain data. A syntax error is told (the first one) and what
 * parses is used; an alias bomb in any document means the file is not used.
 */
export function parseYamlDocuments(text: string): { documents: unknown[]; problem?: YamlProblem } {
  const deep = yamlTooDeep(text);
  if (deep) return { documents: [], problem: { kind: 'deep', ...deep } };
  try {
    const all = parseAllDocuments(text, OPTIONS);
    const list = Array.isArray(all) ? all : [];
    const failed = list.find((document) => document.errors.length > 0);
    const documents = list.map((document) => document.toJS(OPTIONS) as unknown);
    return { documents, ...(failed && { problem: yamlProblem(failed.errors[0]) }) };
  } catch (error) {
    return { documents: [], problem: yamlProblem(error) };
  }
}

function yamlProblem(error: unknown): YamlProblem {
  if (error instanceof ReferenceError && /excessive alias count/i.test(error.message)) return { kind: 'aliases' };
  return { kind: 'syntax', ...yamlSyntaxProblem(error) };
}

/**
 * The warning for a YAML file that is not used, the same from every reader (compose files are read by discovery and
 * for the environment) so it is reported once. `partly` is for readers that use what parses before a syntax error.
 */
export function yamlProblemMessage(shown: string, problem: YamlProblem, partly = false): string {
  if (problem.kind === 'aliases') return `${shown} uses too many YAML aliases (more than ${YAML_MAX_ALIASES}); not read`;
  if (problem.kind === 'deep') return `${shown} is nested too deeply (more than ${YAML_MAX_DEPTH} levels of indentation and brackets, at ${problem.line}:${problem.column}); not read`;
  return `${shown} is not valid YAML (${problem.words} at ${problem.line}:${problem.column}); ${partly ? 'read as far as it parses' : 'not used'}`;
}

/** Where a notice about the file goes: the place of a syntax error; an alias bomb is told on the file. */
export function yamlProblemPlace(problem: YamlProblem): { line?: number; column?: number } {
  return problem.kind === 'aliases' ? {} : { line: problem.line, column: problem.column };
}

/**
 * Where a YAML text nests deeper than `max`, or undefined: one pass over the text, never slower on deep input. It
 * counts a line's indentation and its compact entries (`- - x`) as block levels, and the open flow brackets outside
 * quotes and comments; lines of a block scalar (`key: |`) are its text, not structure. It may overcount (a
 * continuation line indented past `max` columns), never undercount, which is the side that matters.
 */
export function yamlTooDeep(text: string, max = YAML_MAX_DEPTH): { line: number; column: number } | undefined {
  let flow = 0;
  let quote: string | undefined;
  /** Inside a block scalar: lines indented more than this are its text. */
  let scalarIndent = -1;
  let line = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    let i = start;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const indent = i - start;
    const blank = i >= end || text[i] === '\r';
    if (scalarIndent >= 0 && (blank || indent > scalarIndent)) {
      start = end + 1;
      continue;
    }
    scalarIndent = -1;
    let block = indent;
    if (!quote && flow === 0) {
      while (i + 1 < end && (text[i] === '-' || text[i] === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        i += 2;
        block += 2;
        while (i < end && text[i] === ' ') (i++, block++);
        if (block > max) return { line, column: i - start + 1 };
      }
    }
    if (block > max) return { line, column: i - start + 1 };
    for (; i < end; i++) {
      const c = text[i];
      if (quote) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) {
          if (quote === "'" && text[i + 1] === "'") i++;
          else quote = undefined;
        }
        continue;
      }
      const before = i === start ? ' ' : text[i - 1];
      if (c === '#' && (before === ' ' || before === '\t')) break;
      // A quote opens a scalar only where a token starts; in `it's` it is text.
      if ((c === '"' || c === "'") && ' \t[{,:-?'.includes(before)) quote = c;
      else if (c === '[' || c === '{') {
        if (++flow + block > max) return { line, column: i - start + 1 };
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
      else if ((c === '|' || c === '>') && flow === 0 && (before === ' ' || before === '\t') && blockScalarHeader(text, i + 1, end)) {
        scalarIndent = indent;
        break;
      }
    }
    start = end + 1;
  }
  return undefined;
}

/** Whether `|` or `>` at `from - 1` starts a block scalar: only indicators (`-`, `+`, a digit), then blanks or a comment. */
function blockScalarHeader(text: string, from: number, end: number): boolean {
  let i = from;
  while (i < end && /[-+0-9]/.test(text[i])) i++;
  while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
  return i >= end || text[i] === '\r' || (text[i] === '#' && i > from && /[ \t]/.test(text[i - 1]));
}
