// Quick fix for unguarded-downstream-call: run the call through the breaker the service already has for that
// downstream, else through a new cockatiel or opossum breaker created once at module level (a breaker made per call
// never opens). Without a breaker library among the service's dependencies there is no fix.
import { ts } from 'ts-morph';
import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver/node';
import type { AnalysisResult, OutboundCall } from '../../../engine';
import { downstreamCalls, downstreamName } from '../../../rules/downstream-calls';
import { SOURCE } from '../diagnostics';
import type { FixContext } from './index';
import { awaitsInside, boundOnceAtTop, camelName, capitalise, ensureImport, identifiers, moduleLevelEdit, offsetOf, parse, startsAt, styleOf, usesImports, valueDiscarded, type Style } from './source';
import { findCall, range } from './timeout';

/** Calls that return a promise, so a breaker sees their failures (gRPC callbacks, streams and Observables do not). */
const PROMISE_LIBRARIES = new Set(['axios', 'fetch', 'node-fetch', 'got', 'ky', 'undici']);
const NOT_PROMISE_METHODS = new Set(['stream', 'pipeline', 'connect', 'upgrade', 'dispatch']);

export function breakerQuickFixes(context: FixContext): CodeAction[] {
  const { result, relativePath, uri, text, diagnostics } = context;
  const actions: CodeAction[] = [];
  let sf: ts.SourceFile | undefined;
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== SOURCE || diagnostic.code !== 'unguarded-downstream-call') continue;
    // A call of a generic wrapper (`rpc(url)`) may not return a promise: only direct calls are wrapped.
    const call = result.model.calls.find((candidate) => !candidate.via && startsAt(candidate.location, relativePath, diagnostic));
    if (!call || !PROMISE_LIBRARIES.has(call.library) || NOT_PROMISE_METHODS.has(call.method)) continue;
    sf ??= parse(text, relativePath);
    const node = findCall(sf, offsetOf(sf, call.location));
    if (!node || !ts.isCallExpression(node) || awaitsInside(node)) continue;
    const fix = reuseBreaker(result, call, sf, node) ?? newBreaker(result, call, sf);
    if (!fix) continue;
    const wrap: TextEdit[] = [
      { range: range(sf, node.getStart(sf), node.getStart(sf)), newText: `${fix.runner}(() => ` },
      { range: range(sf, node.getEnd(), node.getEnd()), newText: ')' },
    ];
    actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: [...fix.edits, ...wrap] } } });
  }
  return actions;
}

interface BreakerFix {
  title: string;
  /** What the call is handed to: `inventoryBreaker.execute`, `withInventoryBreaker`. */
  runner: string;
  edits: TextEdit[];
}

/** The breakers of the call's service that already guard calls to the same downstream (one breaker per downstream). */
function breakersFor(result: AnalysisResult, call: OutboundCall) {
  const calls = new Map(result.model.calls.map((candidate) => [candidate.id, candidate]));
  const downstream = downstreamName(call.target);
  return result.model.policies.filter(
    (policy) =>
      policy.kinds.includes('breaker') &&
      policy.singleInstance &&
      policy.calls.some(({ call: id, via }) => {
        const guarded = calls.get(id);
        if (!guarded) return false;
        const all = downstreamCalls(guarded);
        return (via === undefined ? all : [all[via]]).some((item) => item && item.service === call.service && downstreamName(item.target) === downstream);
      }),
  );
}

/**
 * An existing breaker for this downstream, through a runner this file already calls it with (`breaker.execute`,
 * `withBreaker`) and whose name means the same everywhere in the file. When the downstream has a breaker that cannot
 * be reused here, a second one would split its failure counts: the caller gets no fix (`null`).
 */
function reuseBreaker(result: AnalysisResult, call: OutboundCall, sf: ts.SourceFile, node: ts.CallExpression): BreakerFix | null | undefined {
  const existing = breakersFor(result, call);
  if (existing.length === 0) return undefined;
  const typed = !/\.(js|jsx|mjs|cjs)$/.test(call.file);
  for (const policy of existing) {
    for (const runner of policy.runners) {
      if (runner.file !== call.file) continue;
      const root = runner.callee.split('.')[0];
      if (root === 'this' || !boundOnceAtTop(sf, root)) continue;
      // opossum's `fire()` returns `Promise<unknown>`: in TypeScript only a call whose value is unused stays typed.
      if (policy.library === 'opossum' && runner.callee.endsWith('.fire') && typed && !valueDiscarded(node)) continue;
      return { title: `Run the call through the existing breaker (\`${runner.callee}\`)`, runner: runner.callee, edits: [] };
    }
  }
  return null;
}

/** A new breaker for this downstream, at module level, from the breaker library the service depends on. */
function newBreaker(result: AnalysisResult, call: OutboundCall, sf: ts.SourceFile): BreakerFix | undefined {
  const downstream = downstreamName(call.target);
  const base = downstream ? camelName(downstream) : undefined;
  if (!base || !call.service || !usesImports(sf)) return undefined;
  const dependencies = result.model.serviceDependencies[call.service] ?? [];
  const available = ['cockatiel', 'opossum'].filter((library) => dependencies.includes(library));
  if (available.length === 0) return undefined;
  // The library the service already uses, else cockatiel (its `execute` keeps the call's type).
  const imports = result.model.serviceSummaries[call.service]?.imports ?? [];
  const library = available.find((name) => imports.includes(name)) ?? available[0];
  const style = styleOf(sf);
  const taken = identifiers(sf);
  const breaker = `${base}Breaker`;
  if (taken.has(breaker)) return undefined;
  return library === 'cockatiel' ? cockatielBreaker(sf, style, breaker, downstream!) : opossumBreaker(sf, style, breaker, downstream!, taken, !/\.(js|jsx|mjs|cjs)$/.test(call.file));
}

function cockatielBreaker(sf: ts.SourceFile, style: Style, breaker: string, downstream: string): BreakerFix | undefined {
  const imported = ensureImport(sf, style, { module: 'cockatiel', named: ['circuitBreaker', 'ConsecutiveBreaker', 'handleAll'] });
  if (!imported) return undefined;
  // Opens after 5 failures in a row and tries again after 10 s, as in the rule's docs.
  const declaration = `const ${breaker} = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) })${style.semicolon}`;
  const placed = moduleLevelEdit(sf, imported.newLine ? [imported.newLine] : [], [declaration]);
  return { title: `Run the call through a new cockatiel breaker for ${downstream} (\`${breaker}\`)`, runner: `${breaker}.execute`, edits: [...imported.edits, ...(placed ? [placed] : [])] };
}

function opossumBreaker(sf: ts.SourceFile, style: Style, breaker: string, downstream: string, taken: Set<string>, typed: boolean): BreakerFix | undefined {
  const imported = ensureImport(sf, style, { module: 'opossum', defaultName: 'CircuitBreaker' });
  if (!imported?.defaultName) return undefined;
  const options = `{ errorThresholdPercentage: 50, resetTimeout: 10_000 }`;
  const lines: string[] = [];
  let runner = `${breaker}.fire`;
  if (typed) {
    // `fire()` returns `Promise<unknown>`; a typed runner gives the call its own type back.
    runner = `with${capitalise(breaker)}`;
    if (taken.has(runner)) return undefined;
    lines.push(
      `const ${breaker} = new ${imported.defaultName}((call: () => Promise<unknown>) => call(), ${options})${style.semicolon}`,
      `function ${runner}<T>(call: () => Promise<T>): Promise<T> {`,
      `${style.indent}return ${breaker}.fire(call) as Promise<T>${style.semicolon}`,
      `}`,
    );
  } else {
    lines.push(`const ${breaker} = new ${imported.defaultName}((call) => call(), ${options})${style.semicolon}`);
  }
  const placed = moduleLevelEdit(sf, imported.newLine ? [imported.newLine] : [], lines);
  return { title: `Run the call through a new opossum breaker for ${downstream} (\`${breaker}\`)`, runner, edits: [...imported.edits, ...(placed ? [placed] : [])] };
}
