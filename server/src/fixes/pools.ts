// Quick fix for shared-connection-pool: split the shared limiter or agent into one per downstream, named after it,
// and point each use at its own. Offered only when the limiter is a module-level `const` of this file that nothing
// exports, and every use of it can be told apart by the one downstream its calls reach; otherwise nothing is offered.
import { ts } from 'ts-morph';
import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver/node';
import type { AnalysisResult, OutboundCall } from '../../../engine';
import { downstreamCalls, downstreamName, type DownstreamCall } from '../../../rules/downstream-calls';
import { SOURCE } from '../diagnostics';
import type { FixContext } from './index';
import { camelName, capitalise, declarations, identifiers, offsetOf, parse, startsAt } from './source';
import { findCall, range } from './timeout';

export function poolQuickFixes(context: FixContext): CodeAction[] {
  const { result, relativePath, uri, text, diagnostics } = context;
  const actions: CodeAction[] = [];
  let sf: ts.SourceFile | undefined;
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== SOURCE || diagnostic.code !== 'shared-connection-pool') continue;
    sf ??= parse(text, relativePath);
    const policy = result.model.policies.find((candidate) => startsAt(candidate.location, relativePath, diagnostic));
    const agent = policy ? undefined : result.model.clients.find((candidate) => candidate.role === 'agent' && startsAt(candidate.location, relativePath, diagnostic));
    let split: Split | undefined;
    if (policy) {
      // Bottleneck limiters with an `id` or a datastore share their state by that id: a copy would not be a compartment.
      if (policy.library === 'bottleneck' && /\b(id|datastore)\s*:/.test(text.slice(offsetOf(sf, policy.location), offsetOf(sf, { line: policy.location.endLine, column: policy.location.endColumn })))) continue;
      split = splitFor(sf, offsetOf(sf, policy.location), limiterUses(result, policy.calls), (call) => downstreamName(call.target), 'limiter');
    } else if (agent) {
      split = splitFor(sf, offsetOf(sf, agent.location), agentUses(result, agent.id), (call) => call.target.host, 'agent');
    }
    if (!split) continue;
    actions.push({
      title: `Give each downstream its own ${split.kind} (${split.names.join(', ')})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: { [uri]: split.edits } },
    });
  }
  return actions;
}

/** For each use of the shared value, the code range it covers and the downstream calls made in it. */
type UseFinder = (sf: ts.SourceFile, reference: ts.Identifier) => { calls: DownstreamCall[] } | undefined;

interface Uses {
  /** Every downstream call that goes through the shared value: each must belong to exactly one use. */
  all: DownstreamCall[];
  find: UseFinder;
}

function limiterUses(result: AnalysisResult, policyCalls: Array<{ call: string; via?: number }>): Uses {
  const calls = new Map(result.model.calls.map((call) => [call.id, call]));
  const all = policyCalls.flatMap(({ call: id, via }) => {
    const call = calls.get(id);
    if (!call) return [];
    const expanded = downstreamCalls(call);
    return via === undefined ? expanded : [expanded[via]];
  });
  // A use runs work through the limiter: `limit(fn)`, `queue.add(fn)`, `breaker.fire(…)`. Its calls are those written in its arguments.
  const find: UseFinder = (sf, reference) => {
    const parent = reference.parent;
    const runner = ts.isCallExpression(parent) && parent.expression === reference ? parent : ts.isPropertyAccessExpression(parent) && parent.expression === reference && ts.isCallExpression(parent.parent) && parent.parent.expression === parent ? parent.parent : undefined;
    if (!runner || runner.arguments.length === 0) return undefined;
    const [start, end] = [runner.arguments.pos, runner.arguments.end];
    return { calls: all.filter((call) => call.location.file === sf.fileName && within(sf, call, start, end)) };
  };
  return { all, find };
}

function agentUses(result: AnalysisResult, agentId: string): Uses {
  const agentCalls = result.model.calls.filter((call) => call.agent === agentId);
  const all = agentCalls.flatMap(downstreamCalls);
  // A use names the agent in the options of a call, or of a client whose calls then go through it.
  const find: UseFinder = (sf, reference) => {
    let node: ts.Node = reference;
    while (node.parent && !((ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent)) && node.parent.arguments?.some((arg) => arg.pos <= node.pos && node.end <= arg.end))) node = node.parent;
    const owner = node.parent;
    if (!owner || ts.isSourceFile(owner)) return undefined;
    const at = sf.getLineAndCharacterOfPosition(owner.getStart(sf));
    const startsHere = (location: { file: string; line: number; column: number }) => location.file === sf.fileName && location.line === at.line + 1 && location.column === at.character + 1;
    const direct = agentCalls.filter((call) => !call.via && startsHere(call.location));
    const client = result.model.clients.find((candidate) => startsHere(candidate.location));
    const through = client ? agentCalls.filter((call) => call.client === client.id) : [];
    const calls: OutboundCall[] = [...direct, ...through];
    if (calls.some((call) => call.via)) return undefined;
    return { calls: calls.flatMap(downstreamCalls) };
  };
  return { all, find };
}

function within(sf: ts.SourceFile, call: DownstreamCall, start: number, end: number): boolean {
  const offset = offsetOf(sf, call.location);
  return offset >= start && offset < end;
}

interface Split {
  kind: 'limiter' | 'agent';
  names: string[];
  edits: TextEdit[];
}

/** The edits that turn `const shared = make()` into one per downstream and rename each use; undefined when unsafe. */
function splitFor(sf: ts.SourceFile, creationOffset: number, uses: Uses, key: (call: DownstreamCall) => string | undefined, kind: Split['kind']): Split | undefined {
  const created = findCall(sf, creationOffset);
  const declaration = created?.parent;
  if (!created || !declaration || !ts.isVariableDeclaration(declaration) || declaration.initializer !== created || !ts.isIdentifier(declaration.name)) return undefined;
  const list = declaration.parent;
  const statement = list.parent;
  // One `const` at module level that nothing exports: every use is in this file and the value is never reassigned.
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const) || list.declarations.length !== 1) return undefined;
  if (!ts.isVariableStatement(statement) || !ts.isSourceFile(statement.parent) || statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) return undefined;
  const name = declaration.name.text;
  if ((declarations(sf).get(name) ?? []).length !== 1) return undefined;

  const groups = new Map<string, { label: string; references: ts.Identifier[] }>();
  let attributed = 0;
  for (const reference of referencesTo(sf, name, declaration.name)) {
    const use = uses.find(sf, reference);
    const downstreams = new Set(use?.calls.map(key));
    if (!use || use.calls.length === 0 || downstreams.size !== 1 || downstreams.has(undefined)) return undefined;
    const downstream = [...downstreams][0]!;
    const group = groups.get(downstream) ?? { label: downstreamName(use.calls[0].target) ?? downstream, references: [] };
    group.references.push(reference);
    groups.set(downstream, group);
    attributed += use.calls.length;
  }
  // Every call through the shared value must sit in one of its uses here (none reaches it from elsewhere).
  if (groups.size < 2 || attributed !== uses.all.length) return undefined;

  // `downstreamLimit` → `inventoryLimit`: the downstream's name and the last word of the old one.
  const suffix = capitalise(/[A-Z]?[a-z0-9]*$/.exec(name)?.[0] || name);
  const taken = identifiers(sf);
  const names = new Map<string, string>();
  for (const [downstream, group] of groups) {
    const base = camelName(group.label);
    const newName = base && `${base}${suffix}`;
    if (!newName || taken.has(newName) || [...names.values()].includes(newName)) return undefined;
    names.set(downstream, newName);
  }

  const statementText = statement.getText(sf);
  const semicolon = statementText.endsWith(';') ? ';' : '';
  const rest = sf.text.slice(declaration.name.getEnd(), declaration.getEnd());
  const lineStart = sf.getPositionOfLineAndCharacter(sf.getLineAndCharacterOfPosition(statement.getStart(sf)).line, 0);
  const indent = /^\s*/.exec(sf.text.slice(lineStart, statement.getStart(sf)))?.[0] ?? '';
  const keyword = sf.text.slice(list.getStart(sf), declaration.getStart(sf)).trim();
  const edits: TextEdit[] = [
    {
      range: range(sf, statement.getStart(sf), statement.getEnd()),
      newText: [...names.values()].map((newName) => `${keyword} ${newName}${rest}${semicolon}`).join(`\n${indent}`),
    },
  ];
  for (const [downstream, group] of groups) {
    for (const reference of group.references) {
      const newName = names.get(downstream)!;
      // `{ agent }` keeps its property name: `{ agent: inventoryAgent }`.
      const shorthand = ts.isShorthandPropertyAssignment(reference.parent);
      edits.push({ range: range(sf, reference.getStart(sf), reference.getEnd()), newText: shorthand ? `${name}: ${newName}` : newName });
    }
  }
  return { kind, names: [...names.values()], edits };
}

/** The identifiers that read `name` (every occurrence but its declaration and property names). */
function referencesTo(sf: ts.SourceFile, name: string, declared: ts.Identifier): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && node !== declared) {
      const parent = node.parent;
      const isPropertyName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node) || (ts.isMethodDeclaration(parent) && parent.name === node) || (ts.isPropertyDeclaration(parent) && parent.name === node);
      if (!isPropertyName) found.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
