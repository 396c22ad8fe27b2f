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

/** Why a YAML text was not used: a syntax error (with its place), or too many aliases (the yaml error has no place). */
export type YamlProblem = ({ kind: 'syntax' } & SyntaxProblem) | { kind: 'aliases' };

const OPTIONS = {
  merge: true, // compose files share settings through `<<: *anchor`
  // The yaml package counts the anchored node itself as the first use, so N aliases need N + 1.
  maxAliasCount: YAML_MAX_ALIASES + 1,
  // Errors still throw; warnings (an unknown tag) are not printed to stderr as process warnings.
  logLevel: 'error',
} as const;

/** One YAML document as plain data, or why not. */
export function parseYamlData(text: string): { value: unknown } | { problem: YamlProblem } {
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
  return `${shown} is not valid YAML (${problem.words} at ${problem.line}:${problem.column}); ${partly ? 'read as far as it parses' : 'not used'}`;
}

/** Where a notice about the file goes: the place of a syntax error; an alias bomb is told on the file. */
export function yamlProblemPlace(problem: YamlProblem): { line?: number; column?: number } {
  return problem.kind === 'syntax' ? { line: problem.line, column: problem.column } : {};
}
