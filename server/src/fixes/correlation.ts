// Quick fix for missing-correlation-id: pass the ID on in the call's own headers, from the helper other calls of the
// service already use (`correlationHeaders()`), else from the incoming request of the handler the call is written in.
// Merged into the call's options in the style of the object there. Broker messages, servers, calls of generic wrappers
// and calls whose options cannot be read get no fix.
import { ts } from 'ts-morph';
import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver/node';
import type { AnalysisResult, OutboundCall } from '../../../engine';
import type { HeaderHelper } from '../../../engine/model/types';
import { SOURCE } from '../diagnostics';
import type { FixContext } from './index';
import { declarations, ensureImport, moduleLevelEdit, offsetOf, parse, rebaseSpecifier, startsAt, styleOf, type Style } from './source';
import { findCall, intoObject, range } from './timeout';

/** Libraries whose header types take a request header as Node gives it (`string | string[] | undefined`); fetch's do not. */
const TAKES_NODE_HEADER = new Set(['axios', 'got', 'node:http', '@nestjs/axios']);
/** Frameworks whose request parameter has Node's `headers`; Koa's context reads one with `ctx.get(name)`, a string. */
const NODE_REQUEST = new Set(['express', 'fastify', 'node:http']);
const DEFAULT_HEADERS = ['x-request-id', 'x-correlation-id', 'traceparent'];
/** Trace context names a new span per hop: passing the incoming value on unchanged would be wrong. */
const TRACE_CONTEXT = new Set(['traceparent', 'tracestate']);

export function correlationQuickFixes(context: FixContext): CodeAction[] {
  const { result, relativePath, uri, text, diagnostics } = context;
  const actions: CodeAction[] = [];
  let sf: ts.SourceFile | undefined;
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== SOURCE || diagnostic.code !== 'missing-correlation-id') continue;
    const call = result.model.calls.find((candidate) => !candidate.via && candidate.kind === 'http' && startsAt(candidate.location, relativePath, diagnostic));
    if (!call?.timeoutFix || call.timeoutFix.arguments === 'last') continue;
    sf ??= parse(text, relativePath);
    const node = findCall(sf, offsetOf(sf, call.location));
    if (!node || !ts.isCallExpression(node)) continue;
    const style = styleOf(sf);
    const source = fromHelper(result, call, sf, style) ?? fromRequest(result, call, sf, node, style);
    if (!source) continue;
    const edit = intoHeaders(sf, node, call.timeoutFix.arguments, source.entry, source.key);
    if (!edit) continue;
    actions.push({ title: source.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, edit: { changes: { [uri]: [...source.edits, edit] } } });
  }
  return actions;
}

interface HeaderSource {
  title: string;
  /** The header's name when one entry is added; undefined for a spread helper. */
  key?: string;
  /** `'x-request-id': req.headers['x-request-id']`, or `...correlationHeaders()`. */
  entry: string;
  /** An import the entry needs. */
  edits: TextEdit[];
}

function correlationNames(result: AnalysisResult): string[] {
  const options = result.rules.find((rule) => rule.meta.id === 'missing-correlation-id')?.options as { headers?: string[] } | undefined;
  return (options?.headers ?? DEFAULT_HEADERS).map((name) => name.toLowerCase());
}

/** The helper another call of the service sends the ID with, imported as that call's file imports it. */
function fromHelper(result: AnalysisResult, call: OutboundCall, sf: ts.SourceFile, style: Style): HeaderSource | undefined {
  const names = correlationNames(result);
  const helpers = result.model.calls
    .filter((other) => other.service === call.service && other.headerHelper && other.headers?.some((name) => names.includes(name)))
    .sort((a, b) => Number(b.file === call.file) - Number(a.file === call.file));
  for (const other of helpers) {
    const helper = other.headerHelper!;
    const title = `Send the correlation ID with \`${helper.text}\``;
    const entry = `...${helper.text}`;
    if (other.file === call.file) return { title, entry, edits: [] };
    const imported = importFor(helper, other.file, call.file, sf, style);
    if (imported) return { title, entry, edits: imported };
  }
  return undefined;
}

/** The edits that make the helper's name mean here what it means in `helperFile`: nothing when it is already imported alike. */
function importFor(helper: HeaderHelper, helperFile: string, file: string, sf: ts.SourceFile, style: Style): TextEdit[] | undefined {
  if (helper.from === undefined || helper.imported === undefined) return undefined; // a local helper of another file
  const specifier = rebaseSpecifier(helper.from, helperFile, file);
  const existing = declarations(sf).get(helper.name) ?? [];
  if (existing.length > 0) {
    // Already bound here: only when by the same import of the same module.
    const same = existing.length === 1 && (ts.isImportSpecifier(existing[0]) || ts.isImportClause(existing[0]) || ts.isNamespaceImport(existing[0]));
    const declaration = same ? findImportDeclaration(existing[0]) : undefined;
    if (!declaration || !ts.isStringLiteral(declaration.moduleSpecifier) || declaration.moduleSpecifier.text !== specifier) return undefined;
    const node = existing[0];
    const importedName = ts.isImportSpecifier(node) ? (node.propertyName ?? node.name).text : ts.isImportClause(node) ? 'default' : '*';
    return importedName === helper.imported ? [] : undefined;
  }
  if (helper.imported === 'default') {
    const result = ensureImport(sf, style, { module: specifier, defaultName: helper.name });
    return result && result.defaultName === helper.name ? withLine(sf, result) : undefined;
  }
  if (helper.imported === '*') return withLine(sf, { edits: [], newLine: `import * as ${helper.name} from ${style.quote}${specifier}${style.quote}${style.semicolon}` });
  if (helper.imported !== helper.name) return undefined;
  const result = ensureImport(sf, style, { module: specifier, named: [helper.name] });
  return result ? withLine(sf, result) : undefined;
}

function withLine(sf: ts.SourceFile, imported: { edits: TextEdit[]; newLine?: string }): TextEdit[] {
  const line = imported.newLine ? moduleLevelEdit(sf, [imported.newLine], []) : undefined;
  return [...imported.edits, ...(line ? [line] : [])];
}

function findImportDeclaration(node: ts.Node): ts.ImportDeclaration | undefined {
  let current: ts.Node | undefined = node;
  while (current && !ts.isImportDeclaration(current)) current = current.parent;
  return current;
}

/** The header read from the request of the handler the call is in (`req.headers['x-request-id']`), named as the service names it. */
function fromRequest(result: AnalysisResult, call: OutboundCall, sf: ts.SourceFile, node: ts.CallExpression, style: Style): HeaderSource | undefined {
  const request = call.incomingRequest;
  if (!request || request.location.file !== call.file) return undefined;
  const koa = request.framework === 'koa' || request.framework === '@koa/router';
  if (!koa && !(NODE_REQUEST.has(request.framework) && TAKES_NODE_HEADER.has(call.library))) return undefined;
  if (!reachesHandlerParameter(sf, node, request.name, offsetOf(sf, request.location))) return undefined;
  const candidates = correlationNames(result).filter((name) => !TRACE_CONTEXT.has(name));
  const used = call.service ? result.model.serviceSummaries[call.service]?.headerNames ?? [] : [];
  const header = candidates.find((name) => used.includes(name)) ?? candidates[0];
  if (!header) return undefined;
  const quoted = `${style.quote}${header}${style.quote}`;
  const value = koa ? `${request.name}.get(${quoted})` : `${request.name}.headers[${quoted}]`;
  return { title: `Pass on the incoming ${header} (\`${value}\`)`, key: header, entry: `${quoted}: ${value}`, edits: [] };
}

/** Does `name` at the call mean the handler's parameter (no function or block in between declares it again)? */
function reachesHandlerParameter(sf: ts.SourceFile, node: ts.Node, name: string, handlerStart: number): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) {
      const declaresName = current.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name);
      if (current.getStart(sf) === handlerStart) return declaresName;
      if (declaresName) return false;
    }
    if (ts.isBlock(current) && current.statements.some((statement) => ts.isVariableStatement(statement) && statement.declarationList.declarations.some((declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === name))) return false;
    if (ts.isSourceFile(current)) return false;
  }
  return false;
}

/**
 * Merges a header entry into the call's options: into `headers: { … }` when it is an object literal, as a new
 * `headers` property of the options object, or as a new options argument when that is the next one.
 */
function intoHeaders(sf: ts.SourceFile, call: ts.CallExpression, optionArgs: number[], entry: string, key: string | undefined): TextEdit | undefined {
  const args = call.arguments;
  const options = optionArgs.map((index) => args[index]).find((arg): arg is ts.ObjectLiteralExpression => !!arg && ts.isObjectLiteralExpression(arg));
  if (options) {
    const headers = options.properties.find((property) => property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text === 'headers');
    if (headers) {
      // Headers from a variable or a `Headers` object cannot be merged into safely.
      if (!ts.isPropertyAssignment(headers) || !ts.isObjectLiteralExpression(headers.initializer)) return undefined;
      if (!key && headers.initializer.properties.some((property) => ts.isSpreadAssignment(property) && `...${property.expression.getText(sf)}` === entry)) return undefined;
      return intoObject(sf, headers.initializer, key, entry);
    }
    // A spread (`...init`) may carry headers that a new `headers` property would replace.
    if (options.properties.some((property) => ts.isSpreadAssignment(property))) return undefined;
    return intoObject(sf, options, 'headers', `headers: ${headersObject(entry)}`);
  }
  const next = optionArgs[0];
  if (next !== args.length) return undefined;
  const position = args.length > 0 ? args[args.length - 1].getEnd() : call.getEnd() - 1;
  if (args.length === 0 && sf.text[position] !== ')') return undefined;
  return { range: range(sf, position, position), newText: `${args.length > 0 ? ', ' : ''}{ headers: ${headersObject(entry)} }` };
}

/** `{ 'x-request-id': … }`, or the helper itself (`correlationHeaders()`) when it is the only entry. */
function headersObject(entry: string): string {
  return entry.startsWith('...') ? entry.slice(3) : `{ ${entry} }`;
}
