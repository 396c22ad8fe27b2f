// Loads breakwater.json: JSON with comments, checked against the JSON schema the editor uses too.
// Never executes anything from the workspace: the config is data only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jsonc from 'jsonc-parser';
import Ajv, { type ErrorObject } from 'ajv';
import schema from '../../schema/breakwater.schema.json';
import { UserInputError, type SeveritySetting } from '../types';
import { tryReadWorkspaceFile } from '../io/read';
import { jsonErrorWords, jsonTooDeep, lineAndColumn } from '../io/syntax';
import { allRules } from '../../rules';
import { ruleOptionsValidator } from '../../rules/run';

export const CONFIG_FILE_NAMES = ['breakwater.json', '.breakwaterrc.json'];

export interface InHouseClient {
  module: string;
  export?: string;
  kind: 'http' | 'grpc' | 'database' | 'cache' | 'broker';
  role?: 'request' | 'factory';
  methods?: string[];
  optionsArgument?: number;
  timeoutOptions?: string[];
  signalOptions?: string[];
  defaultTimeoutMs?: number | null;
}

export type RuleSetting = SeveritySetting | [SeveritySetting] | [SeveritySetting, Record<string, unknown>];

export interface BreakwaterConfig {
  services?: string[] | Record<string, string>;
  libraries?: string[];
  include?: string[];
  ignore?: string[];
  rules?: Record<string, RuleSetting>;
  clients?: InHouseClient[];
  /** Which service owns a database, named by database, host or environment variable: `{ "orders-db": "orders" }`. */
  databases?: Record<string, string>;
  /** Source files larger than this many megabytes are skipped with a warning (default 2, at most 64). */
  maxFileSizeMb?: number;
}

export interface LoadedConfig {
  config: BreakwaterConfig;
  /** Absolute path of the file it came from; undefined when there is none. */
  file?: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateConfig = ajv.compile(schema);

/** Finds the config file in `root` (or takes `explicitFile`) and loads it; an absent file gives the empty config. */
export function loadConfig(root: string, explicitFile?: string): LoadedConfig {
  const file = explicitFile
    ? path.resolve(explicitFile)
    : CONFIG_FILE_NAMES.map((name) => path.join(root, name)).find((candidate) => fs.existsSync(candidate));
  if (!file) return { config: {} };
  // A FIFO or /dev/zero in place of breakwater.json must not hang or flood the run; the file found in the root must
  // also stay in it. A file the user names (`--config`) may be anywhere.
  const text = tryReadWorkspaceFile(file, { root: explicitFile ? undefined : root });
  if (typeof text !== 'string') {
    throw new UserInputError(text.reason === 'missing' ? `Cannot read config file ${file}: no such file` : `Cannot read config file: ${text.message}`, file);
  }
  return { config: parseConfig(text, file), file };
}

/** Far deeper than any real config; the parser and the schema check recurse, so deeper text is refused first. */
const MAX_CONFIG_DEPTH = 64;

/** Parses and validates config text. Throws a UserInputError that points at the line and column of the first problem. */
export function parseConfig(text: string, file = 'breakwater.json'): BreakwaterConfig {
  const deep = jsonTooDeep(text, MAX_CONFIG_DEPTH);
  if (deep) throw new UserInputError(`${path.basename(file)} is ${deep.words}`, file, deep.line, deep.column);
  const syntaxErrors: jsonc.ParseError[] = [];
  const tree = jsonc.parseTree(text, syntaxErrors, { allowTrailingComma: true, disallowComments: false });
  if (syntaxErrors.length > 0) {
    const first = syntaxErrors[0];
    const { line, column } = lineAndColumn(text, first.offset);
    // In words ("property name expected"), not jsonc-parser's enum name (`PropertyNameExpected`).
    throw new UserInputError(`Invalid JSON in ${path.basename(file)}: ${jsonErrorWords(first.error)}`, file, line, column);
  }
  const value = tree ? jsonc.getNodeValue(tree) : undefined;
  if (!validateConfig(value)) {
    const error = mostSpecificError(validateConfig.errors ?? []);
    const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
    const segments = [...error.instancePath.split('/').slice(1).map(unescapePointer), ...(propertyName !== undefined ? [propertyName] : [])];
    const found = tree && jsonc.findNodeAtLocation(tree, segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
    // For an unknown key, point at the key itself rather than at its value.
    const node = propertyName !== undefined && found?.parent?.type === 'property' ? found.parent.children?.[0] : found;
    const { line, column } = lineAndColumn(text, node?.offset ?? 0);
    const where = error.instancePath ? ` at ${error.instancePath}` : '';
    throw new UserInputError(`Invalid ${path.basename(file)}${where}: ${describe(error)}`, file, line, column);
  }
  validateRuleOptions(value as BreakwaterConfig, tree, text, file);
  validatePaths(value as BreakwaterConfig, tree, text, file);
  return value as BreakwaterConfig;
}

/** Config entries that name folders or files of the workspace. */
const PATH_SETTINGS = ['services', 'libraries', 'include', 'ignore'] as const;

/**
 * Paths and globs are relative to the workspace root and must stay in it: `"services": ["../.."]` or `"/etc"` would
 * have Breakwater read outside the workspace, so they are an error, reported where they are written.
 */
function validatePaths(config: BreakwaterConfig, tree: jsonc.Node | undefined, text: string, file: string): void {
  for (const key of PATH_SETTINGS) {
    const setting = config[key];
    if (!setting) continue;
    const entries: Array<[string | number, string]> = Array.isArray(setting) ? setting.map((value, index) => [index, value]) : Object.entries(setting);
    for (const [at, value] of entries) {
      if (!leavesRoot(value.replace(/^!/, ''))) continue;
      const node = tree && jsonc.findNodeAtLocation(tree, [key, at]);
      const { line, column } = lineAndColumn(text, node?.offset ?? 0);
      throw new UserInputError(`Invalid ${path.basename(file)} at /${key}/${at}: "${value}" is outside the workspace root; paths are relative to the root and must stay inside it`, file, line, column);
    }
  }
}

function leavesRoot(value: string): boolean {
  const normalized = value.trim().replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[a-z]:/i.test(normalized)) return true;
  return path.posix.normalize(normalized).split('/')[0] === '..';
}

/** Each rule's options against that rule's own schema, so a mistake is reported where it is written. */
function validateRuleOptions(config: BreakwaterConfig, tree: jsonc.Node | undefined, text: string, file: string): void {
  for (const [id, setting] of Object.entries(config.rules ?? {})) {
    if (!Array.isArray(setting) || setting[1] === undefined) continue;
    const rule = allRules.find((meta) => meta.id === id);
    if (!rule) continue;
    const validate = ruleOptionsValidator(rule);
    if (validate(setting[1])) continue;
    const error = validate.errors![0];
    const segments = ['rules', id, 1, ...error.instancePath.split('/').slice(1).map(unescapePointer)];
    const node = tree && jsonc.findNodeAtLocation(tree, segments.map((s) => (typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : s)));
    const { line, column } = lineAndColumn(text, node?.offset ?? 0);
    const where = error.instancePath ? ` at ${error.instancePath}` : '';
    throw new UserInputError(`Invalid options for rule "${id}"${where}: ${describe(error)}`, file, line, column);
  }
}


function describe(error: ErrorObject): string {
  // `propertyNames` failures carry the offending key.
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) return `unknown rule "${propertyName}"; known rules: ${allRules.map((rule) => rule.id).join(', ')}`;
  if (error.keyword === 'additionalProperties') return `unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  if (error.keyword === 'enum') return `${error.message}: ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (error.keyword === 'type') return `must be ${String((error.params as { type: string | string[] }).type).split(',').join(' or ')}`;
  if (error.keyword === 'propertyNames') return `unknown rule "${(error.params as { propertyName: string }).propertyName}"`;
  return error.message ?? 'invalid value';
}

/** oneOf failures come with one error per branch; the deepest one is the one a user can act on. */
function mostSpecificError(errors: ErrorObject[]): ErrorObject {
  return [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length || rank(a) - rank(b))[0];
}
function rank(error: ErrorObject): number {
  return error.keyword === 'oneOf' ? 2 : error.keyword === 'type' ? 1 : 0;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

