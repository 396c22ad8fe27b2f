// The extract stage: one parse per file with TypeScript's own parser (no binder, no checker), one walk with the raw
// compiler API, producing FileFacts. Names are resolved to this file's bindings here (scopes, shadowing, hoisting), so
// a parameter called `fetch` is never mistaken for the global. No rule logic lives here.
import { ts } from 'ts-morph';
export type { FileFacts } from './facts';
import type { Binding, CallFact, ClassFact, FileFacts, FunctionFact, ObjProp, Span, Val } from './facts';
import { readSuppressions } from './suppressions';

const UNKNOWN: Val = { k: 'unknown' };
/** `x-request-id`, `traceparent`, `X-Correlation-ID`: letters, digits and dashes, with a dash or a known name. */
const HEADER_NAME = /^(?:[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+|traceparent|tracestate|baggage)$/;

class Scope {
  readonly names = new Map<string, number>();
  constructor(
    readonly parent: Scope | undefined,
    readonly isFunction: boolean,
  ) {}
  lookup(name: string): number | undefined {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
      const found = scope.names.get(name);
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

interface Context {
  scope: Scope;
  fn: number;
  cls: number;
}

export function scriptKindFor(path: string): ts.ScriptKind {
  if (/\.tsx$/.test(path)) return ts.ScriptKind.TSX;
  if (/\.(jsx)$/.test(path)) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

export function emptyFacts(path: string): FileFacts {
  return { path, bindings: [], calls: [], functions: [], classes: [], assignments: [], exports: [], reexportAll: [], imports: [], importSpans: [], suppressions: [], headerNames: [] };
}

export function extractFile(path: string, text: string): FileFacts {
  const sourceFile = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, scriptKindFor(path));
  return new Extractor(path, sourceFile).run();
}

class Extractor {
  private readonly facts: FileFacts;
  private readonly moduleScope = new Scope(undefined, true);
  private readonly headerNames = new Set<string>();
  private valueNames: Set<string> | undefined;
  /** Indices of the async functions: run in place with the result dropped, nobody waits for them. */
  private readonly asyncFunctions = new Set<number>();
  /** The function each declaration or function expression became, for marking module functions nothing names. */
  private readonly functionIndex = new Map<ts.Node, number>();

  constructor(
    path: string,
    private readonly sf: ts.SourceFile,
  ) {
    this.facts = { ...emptyFacts(path), suppressions: readSuppressions(sf) };
  }

  run(): FileFacts {
    const ctx: Context = { scope: this.moduleScope, fn: -1, cls: -1 };
    this.hoist(this.sf.statements, ctx);
    for (const statement of this.sf.statements) this.statement(statement, ctx);
    this.facts.headerNames = [...this.headerNames].sort();
    // The parser recovers from syntax errors; say so, since what follows an error may be misread.
    const diagnostics = (this.sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    if (diagnostics.length > 0) {
      this.facts.syntaxErrors = diagnostics.length;
      const first = diagnostics[0];
      const { line, character } = this.sf.getLineAndCharacterOfPosition(first.start);
      this.facts.firstSyntaxError = { line: line + 1, column: character + 1, message: ts.flattenDiagnosticMessageText(first.messageText, ' ') };
    }
    const first = this.sf.statements[0];
    if (first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use client') this.facts.browser = true;
    if (this.sf.text.startsWith('#!')) this.facts.shebang = true;
    this.markUnreferenced();
    return this.facts;
  }

  /**
   * A module's own function that no code names (not exported, never called, passed or stored: its name occurs once,
   * where it is declared) can never run. A classic script's top-level functions are globals, so only modules count.
   */
  private markUnreferenced(): void {
    const statements = this.sf.statements;
    const isModule =
      this.facts.imports.length > 0 ||
      (this.facts.typeImports?.length ?? 0) > 0 ||
      this.facts.exports.length > 0 ||
      statements.some((statement) => ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isExportAssignment(statement) || isExported(statement)) ||
      /\b(module\.exports|exports\.)/.test(this.sf.text);
    if (!isModule) return;
    const candidates: Array<{ name: string; fn: number }> = [];
    for (const statement of statements) {
      if (isExported(statement)) continue;
      if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
        const fn = this.functionIndex.get(statement);
        if (fn !== undefined) candidates.push({ name: statement.name.text, fn });
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          const init = declaration.initializer && skipParentheses(declaration.initializer);
          const fn = init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? this.functionIndex.get(init) : undefined;
          if (fn !== undefined && ts.isIdentifier(declaration.name)) candidates.push({ name: declaration.name.text, fn });
        }
      }
    }
    if (candidates.length === 0) return;
    const occurrences = identifierCounts(this.sf);
    for (const { name, fn } of candidates) if (occurrences.get(name) === 1) this.facts.functions[fn].unreferenced = true;
  }

  // ── positions ──────────────────────────────────────────────────────────────

  private span(node: ts.Node): Span {
    const start = this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf));
    const end = this.sf.getLineAndCharacterOfPosition(node.getEnd());
    return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  }

  // ── bindings and scopes ────────────────────────────────────────────────────

  private declare(scope: Scope, name: string, binding: Omit<Binding, 'name'>): number {
    const index = this.facts.bindings.length;
    this.facts.bindings.push({ name, ...binding });
    scope.names.set(name, index);
    return index;
  }

  private functionScope(scope: Scope): Scope {
    let current = scope;
    while (!current.isFunction && current.parent) current = current.parent;
    return current;
  }

  /** Declares a block's functions, classes and variables before its statements run, so uses before the declaration resolve. */
  private hoist(statements: ts.NodeArray<ts.Statement>, ctx: Context): void {
    const moduleLevel = ctx.scope === this.moduleScope;
    for (const statement of statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name) {
        this.declare(ctx.scope, statement.name.text, { kind: 'function', value: UNKNOWN, span: this.span(statement.name), moduleLevel });
      } else if (ts.isClassDeclaration(statement) && statement.name) {
        this.declare(ctx.scope, statement.name.text, { kind: 'class', value: UNKNOWN, span: this.span(statement.name), moduleLevel });
      } else if (ts.isVariableStatement(statement)) {
        const list = statement.declarationList;
        const kind = list.flags & ts.NodeFlags.Const ? 'const' : list.flags & ts.NodeFlags.Let ? 'let' : 'var';
        const scope = kind === 'var' ? this.functionScope(ctx.scope) : ctx.scope;
        for (const declaration of list.declarations) {
          for (const name of bindingNames(declaration.name)) {
            this.declare(scope, name.text, { kind, value: UNKNOWN, span: this.span(name), moduleLevel });
          }
        }
      } else if (ts.isImportDeclaration(statement)) {
        this.importDeclaration(statement, ctx);
      } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
        const spec = stringValue(statement.moduleReference.expression);
        if (spec !== undefined) {
          this.addImport(spec, statement.moduleReference.expression);
          this.declare(ctx.scope, statement.name.text, { kind: 'import', value: { k: 'require', spec }, from: spec, imported: '=', span: this.span(statement.name), moduleLevel });
        }
      }
    }
  }

  private importDeclaration(node: ts.ImportDeclaration, ctx: Context): void {
    const spec = stringValue(node.moduleSpecifier);
    if (spec === undefined) return;
    const clause = node.importClause;
    // `import type` (or only `{ type X }` names) brings in no code, so it is no dependency at run time; its names
    // still type annotations.
    const onlyTypes =
      clause?.isTypeOnly ||
      (!!clause && !clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((element) => element.isTypeOnly));
    if (onlyTypes || (clause && this.elidedByCompiler(clause))) (this.facts.typeImports ??= []).push(spec);
    else this.addImport(spec, node.moduleSpecifier);
    if (!clause) return;
    const add = (name: ts.Identifier, imported: string) =>
      this.declare(ctx.scope, name.text, {
        kind: 'import',
        value: imported === '*' ? { k: 'require', spec } : { k: 'get', o: { k: 'require', spec }, p: imported },
        from: spec,
        imported,
        span: this.span(name),
        moduleLevel: true,
      });
    if (clause.name) add(clause.name, 'default');
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name, '*');
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) add(element.name, (element.propertyName ?? element.name).text);
    }
  }

  /**
   * TypeScript (and esbuild, swc) drop an import whose names are only used as types, so at run time it is no
   * dependency. Decorators are the exception: with `emitDecoratorMetadata` a parameter's type becomes a value.
   */
  private elidedByCompiler(clause: ts.ImportClause): boolean {
    if (!/\.[mc]?tsx?$/.test(this.sf.fileName)) return false;
    const names: string[] = [];
    if (clause.name) names.push(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.push(element.name.text);
    if (names.length === 0) return false;
    this.valueNames ??= namesUsedAsValues(this.sf);
    return names.every((name) => !this.valueNames!.has(name));
  }

  private addImport(spec: string, node: ts.Node): void {
    this.facts.imports.push(spec);
    this.facts.importSpans.push(this.span(node));
  }

  private ref(name: string, ctx: Context): Val {
    const binding = ctx.scope.lookup(name);
    if (binding !== undefined) return { k: 'ref', b: binding };
    if (name === 'undefined') return { k: 'lit', v: undefined };
    return { k: 'global', name };
  }

  /** Adds `value` as a further alternative of a binding (for `let x; x = …`). */
  private reassign(binding: number, value: Val): void {
    const current = this.facts.bindings[binding].value;
    // `o = { ...o, timeout: 5000 }` refines o rather than giving it another possible value.
    if (value.k === 'obj' && value.props.some((prop) => 'spread' in prop && prop.spread.k === 'ref' && prop.spread.b === binding)) {
      this.facts.bindings[binding].value = { ...value, props: value.props.map((prop) => ('spread' in prop && prop.spread.k === 'ref' && prop.spread.b === binding ? { spread: current } : prop)) };
      return;
    }
    if (current.k === 'unknown' || (current.k === 'lit' && current.v === undefined)) {
      this.facts.bindings[binding].value = value;
    } else {
      this.facts.bindings[binding].value = { k: 'alt', opts: current.k === 'alt' ? [...current.opts, value] : [current, value] };
    }
  }

  /** Binds every name in a (possibly destructuring) pattern to the matching part of `value`. */
  private bindPattern(pattern: ts.BindingName, value: Val, ctx: Context, declareIn?: { scope: Scope; kind: Binding['kind'] }): void {
    if (ts.isIdentifier(pattern)) {
      if (declareIn) {
        this.declare(declareIn.scope, pattern.text, { kind: declareIn.kind, value, span: this.span(pattern), moduleLevel: declareIn.scope === this.moduleScope });
      } else {
        const binding = ctx.scope.lookup(pattern.text);
        if (binding !== undefined) this.reassign(binding, value);
      }
      return;
    }
    if (ts.isObjectBindingPattern(pattern)) {
      for (const element of pattern.elements) {
        if (element.dotDotDotToken) {
          this.bindPattern(element.name, UNKNOWN, ctx, declareIn);
          continue;
        }
        const key = element.propertyName ? propertyKey(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
        let part: Val = { k: 'get', o: value, p: key ?? null };
        if (element.initializer) part = { k: 'alt', opts: [part, this.expr(element.initializer, ctx)] };
        this.bindPattern(element.name, part, ctx, declareIn);
      }
      return;
    }
    for (const element of pattern.elements) {
      if (ts.isBindingElement(element)) this.bindPattern(element.name, UNKNOWN, ctx, declareIn);
    }
  }

  // ── statements ─────────────────────────────────────────────────────────────

  private block(statements: ts.NodeArray<ts.Statement>, ctx: Context): void {
    const inner: Context = { ...ctx, scope: new Scope(ctx.scope, false) };
    this.hoist(statements, inner);
    for (const statement of statements) this.statement(statement, inner);
  }

  private statement(node: ts.Node, ctx: Context): void {
    if (ts.isVariableStatement(node)) {
      const exported = hasModifier(node, ts.SyntaxKind.ExportKeyword);
      for (const declaration of node.declarationList.declarations) {
        const name = ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
        const value = declaration.initializer ? this.exprNamed(declaration.initializer, ctx, name) : UNKNOWN;
        this.assignDeclared(declaration.name, value, ctx);
        if (exported) for (const name of bindingNames(declaration.name)) this.exportLocal(name.text, name.text, ctx);
      }
    } else if (ts.isFunctionDeclaration(node)) {
      const value = this.functionLike(node, ctx);
      if (node.name) {
        const binding = ctx.scope.lookup(node.name.text);
        if (binding !== undefined) this.facts.bindings[binding].value = value;
      }
      this.exportDeclaration(node, value);
    } else if (ts.isClassDeclaration(node)) {
      const value = this.classLike(node, ctx);
      if (node.name) {
        const binding = ctx.scope.lookup(node.name.text);
        if (binding !== undefined) this.facts.bindings[binding].value = value;
      }
      this.exportDeclaration(node, value);
    } else if (ts.isExportAssignment(node)) {
      this.facts.exports.push({ name: node.isExportEquals ? '=' : 'default', value: this.expr(node.expression, ctx) });
    } else if (ts.isExportDeclaration(node)) {
      this.exportList(node, ctx);
    } else if (ts.isReturnStatement(node)) {
      if (node.expression) {
        const value = this.expr(node.expression, ctx);
        if (ctx.fn >= 0) this.facts.functions[ctx.fn].returns.push(value);
      }
    } else if (ts.isExpressionStatement(node)) {
      const before = this.facts.calls.length;
      const value = this.expr(node.expression, ctx);
      // `send();` or `void send();`: the call pushed last is the statement's own, and nobody waits for its result.
      if (isDetachedCall(node.expression) && this.facts.calls.length > before) this.detach(this.facts.calls.length - 1);
      if (ts.isCallExpression(skipParentheses(node.expression)) && value.k === 'call') this.detachCaught(value.c);
    } else if (ts.isIfStatement(node)) {
      // `else if` chains are walked in a loop: a thousand branches must not overflow the stack.
      let branch: ts.Statement | undefined = node;
      while (branch && ts.isIfStatement(branch)) {
        this.expr(branch.expression, ctx);
        const runsIn = branchRuntime(branch.expression);
        const start = this.facts.calls.length;
        this.statement(branch.thenStatement, ctx);
        if (runsIn === 'browser') this.markBrowserOnly(start);
        branch = branch.elseStatement;
        // `if (typeof window === 'undefined') { server } else { browser }`
        if (runsIn === 'server' && branch && !ts.isIfStatement(branch)) {
          const elseStart = this.facts.calls.length;
          this.statement(branch, ctx);
          this.markBrowserOnly(elseStart);
          branch = undefined;
        }
      }
      if (branch) this.statement(branch, ctx);
    } else if (ts.isBlock(node)) {
      this.block(node.statements, ctx);
    } else if (ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isForStatement(node)) {
      const inner: Context = { ...ctx, scope: new Scope(ctx.scope, false) };
      const initializer = ts.isForStatement(node) ? node.initializer : node.initializer;
      if (initializer && ts.isVariableDeclarationList(initializer)) {
        for (const declaration of initializer.declarations) {
          const value = declaration.initializer ? this.expr(declaration.initializer, inner) : UNKNOWN;
          this.bindPattern(declaration.name, value, inner, { scope: inner.scope, kind: 'let' });
        }
      } else if (initializer) {
        this.expr(initializer, inner);
      }
      if (!ts.isForStatement(node)) this.expr(node.expression, inner);
      else {
        if (node.condition) this.expr(node.condition, inner);
        if (node.incrementor) this.expr(node.incrementor, inner);
      }
      this.statement(node.statement, inner);
    } else if (ts.isTryStatement(node)) {
      this.block(node.tryBlock.statements, ctx);
      if (node.catchClause) {
        const inner: Context = { ...ctx, scope: new Scope(ctx.scope, false) };
        if (node.catchClause.variableDeclaration) this.bindPattern(node.catchClause.variableDeclaration.name, UNKNOWN, inner, { scope: inner.scope, kind: 'let' });
        this.block(node.catchClause.block.statements, inner);
      }
      if (node.finallyBlock) this.block(node.finallyBlock.statements, ctx);
    } else if (ts.isSwitchStatement(node)) {
      this.expr(node.expression, ctx);
      const inner: Context = { ...ctx, scope: new Scope(ctx.scope, false) };
      const statements = node.caseBlock.clauses.flatMap((clause) => [...clause.statements]);
      this.hoist(ts.factory.createNodeArray(statements), inner);
      for (const clause of node.caseBlock.clauses) {
        if (ts.isCaseClause(clause)) this.expr(clause.expression, inner);
        for (const statement of clause.statements) this.statement(statement, inner);
      }
    } else if (ts.isModuleDeclaration(node)) {
      if (node.body && ts.isModuleBlock(node.body)) this.block(node.body.statements, ctx);
    } else if (isTypeOnly(node) || ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) {
      // Types carry no runtime values; imports were bound while hoisting.
    } else {
      this.children(node, ctx);
    }
  }

  /** Visits every child of a node we have no special handling for, so calls inside it are still found. */
  private children(node: ts.Node, ctx: Context): void {
    ts.forEachChild(node, (child) => {
      if (isTypeOnly(child)) return;
      if (isExpressionNode(child)) this.expr(child as ts.Expression, ctx);
      else this.statement(child, ctx);
    });
  }

  private assignDeclared(name: ts.BindingName, value: Val, ctx: Context): void {
    if (ts.isIdentifier(name)) {
      const binding = ctx.scope.lookup(name.text);
      if (binding !== undefined) this.facts.bindings[binding].value = value;
      return;
    }
    // Destructuring: the names were hoisted; give each its part of the value.
    for (const element of name.elements) {
      if (!ts.isBindingElement(element)) continue;
      let part: Val = UNKNOWN;
      if (ts.isObjectBindingPattern(name) && !element.dotDotDotToken) {
        const key = element.propertyName ? propertyKey(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
        part = { k: 'get', o: value, p: key ?? null };
        if (element.initializer) part = { k: 'alt', opts: [part, this.expr(element.initializer, ctx)] };
      }
      this.assignDeclared(element.name, part, ctx);
    }
  }

  // ── exports ────────────────────────────────────────────────────────────────

  private exportLocal(localName: string, exportedName: string, ctx: Context): void {
    const binding = ctx.scope.lookup(localName);
    this.facts.exports.push({ name: exportedName, value: binding !== undefined ? { k: 'ref', b: binding } : UNKNOWN });
  }

  private exportDeclaration(node: ts.FunctionDeclaration | ts.ClassDeclaration, value: Val): void {
    if (!hasModifier(node, ts.SyntaxKind.ExportKeyword)) return;
    if (hasModifier(node, ts.SyntaxKind.DefaultKeyword)) this.facts.exports.push({ name: 'default', value });
    else if (node.name) this.facts.exports.push({ name: node.name.text, value });
  }

  private exportList(node: ts.ExportDeclaration, ctx: Context): void {
    if (node.isTypeOnly) return;
    const spec = node.moduleSpecifier ? stringValue(node.moduleSpecifier) : undefined;
    if (spec !== undefined) this.addImport(spec, node.moduleSpecifier!);
    const clause = node.exportClause;
    if (!clause) {
      if (spec !== undefined) this.facts.reexportAll.push(spec);
      return;
    }
    if (ts.isNamespaceExport(clause)) {
      if (spec !== undefined) this.facts.exports.push({ name: clause.name.text, value: { k: 'require', spec } });
      return;
    }
    for (const element of clause.elements) {
      if (element.isTypeOnly) continue;
      const local = (element.propertyName ?? element.name).text;
      const exported = element.name.text;
      if (spec !== undefined) this.facts.exports.push({ name: exported, value: { k: 'get', o: { k: 'require', spec }, p: local } });
      else this.exportLocal(local, exported, ctx);
    }
  }

  // ── functions and classes ──────────────────────────────────────────────────

  private functionLike(node: ts.SignatureDeclarationBase & { body?: ts.ConciseBody }, ctx: Context, cls = ctx.cls, name?: string): Val {
    const index = this.facts.functions.length;
    const fact: FunctionFact = {
      name: name ?? (node.name && ts.isIdentifier(node.name) ? node.name.text : undefined),
      params: [],
      returns: [],
      span: this.span(node),
      parent: ctx.fn,
      cls,
    };
    if (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword)) this.asyncFunctions.add(this.facts.functions.length);
    this.functionIndex.set(node, index);
    this.facts.functions.push(fact);
    const decorators = decoratorsOf(node).map((decorator) => this.expr(decorator.expression, ctx));
    if (decorators.length > 0) fact.decorators = decorators;
    const inner: Context = { scope: new Scope(ctx.scope, true), fn: index, cls };
    node.parameters.forEach((parameter, i) => {
      for (const decorator of decoratorsOf(parameter)) this.expr(decorator.expression, ctx);
      const type = parameter.type ? this.typeValue(parameter.type, ctx) : undefined;
      const dflt = parameter.initializer ? this.expr(parameter.initializer, inner) : undefined;
      const value: Val = { k: 'param', f: index, i, ...(type && { type }), ...(dflt && { dflt }) };
      if (ts.isIdentifier(parameter.name)) {
        fact.params.push(this.declare(inner.scope, parameter.name.text, { kind: 'param', value, span: this.span(parameter.name), moduleLevel: false }));
      } else {
        fact.params.push(-1);
        this.bindPattern(parameter.name, value, inner, { scope: inner.scope, kind: 'param' });
      }
    });
    const body = node.body;
    if (body && ts.isBlock(body)) {
      this.hoist(body.statements, inner);
      for (const statement of body.statements) this.statement(statement, inner);
    } else if (body) {
      fact.returns.push(this.expr(body, inner));
    }
    return { k: 'fn', f: index };
  }

  /** The runtime value a type annotation names, when it is a plain (possibly qualified) name: `HttpService`, `grpc.Client`. */
  private typeValue(type: ts.TypeNode, ctx: Context): Val | undefined {
    if (!ts.isTypeReferenceNode(type)) return undefined;
    const entity = (name: ts.EntityName): Val => (ts.isIdentifier(name) ? this.ref(name.text, ctx) : { k: 'get', o: entity(name.left), p: name.right.text });
    return entity(type.typeName);
  }

  private classLike(node: ts.ClassLikeDeclaration, ctx: Context): Val {
    const index = this.facts.classes.length;
    const fact: ClassFact = { name: node.name?.text, members: {}, statics: {}, span: this.span(node) };
    this.facts.classes.push(fact);
    for (const decorator of decoratorsOf(node)) this.expr(decorator.expression, ctx);
    const heritage = node.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
    if (heritage?.types[0]) fact.extends = this.expr(heritage.types[0].expression, ctx);
    const inner: Context = { ...ctx, cls: index };
    for (const member of node.members) {
      const isStatic = hasModifier(member, ts.SyntaxKind.StaticKeyword);
      const table = isStatic ? fact.statics : fact.members;
      const key = member.name ? propertyKey(member.name) : undefined;
      if (ts.isPropertyDeclaration(member)) {
        for (const decorator of decoratorsOf(member)) this.expr(decorator.expression, ctx);
        const typed = member.type ? this.typeValue(member.type, ctx) : undefined;
        const value = member.initializer ? this.expr(member.initializer, inner) : typed ? { k: 'typed' as const, type: typed } : UNKNOWN;
        if (key) table[key] = value;
      } else if (ts.isMethodDeclaration(member) || ts.isGetAccessorDeclaration(member)) {
        const value = this.functionLike(member, inner, index, key);
        if (key) table[key] = ts.isGetAccessorDeclaration(member) ? { k: 'call', c: this.syntheticCall(value, member) } : value;
      } else if (ts.isConstructorDeclaration(member)) {
        const value = this.functionLike(member, inner, index, 'constructor');
        fact.statics['constructor'] = value;
        member.parameters.forEach((parameter, i) => {
          if (ts.isIdentifier(parameter.name) && ts.canHaveModifiers(parameter) && ts.getModifiers(parameter)?.some(isParameterPropertyModifier)) {
            const fn = (value as { f: number }).f;
            const binding = this.facts.functions[fn].params[i];
            if (binding >= 0) fact.members[parameter.name.text] = { k: 'ref', b: binding };
          }
        });
      } else if (ts.isClassStaticBlockDeclaration(member)) {
        this.block(member.body.statements, inner);
      }
    }
    return { k: 'class', c: index };
  }

  /** A getter is read like a property but runs like a call; model it as a call of the getter with no arguments. */
  private syntheticCall(fn: Val, node: ts.Node): number {
    const index = this.facts.calls.length;
    this.facts.calls.push({ callee: fn, args: [], isNew: false, span: this.span(node), fn: -1, text: 'get' });
    return index;
  }

  // ── expressions ────────────────────────────────────────────────────────────

  private expr(node: ts.Expression, ctx: Context): Val {
    switch (node.kind) {
      case ts.SyntaxKind.Identifier:
        return this.ref((node as ts.Identifier).text, ctx);
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral: {
        const text = (node as ts.StringLiteral).text;
        if (text.length <= 64 && HEADER_NAME.test(text)) this.headerNames.add(text.toLowerCase());
        return { k: 'lit', v: text };
      }
      case ts.SyntaxKind.NumericLiteral:
        return { k: 'lit', v: Number((node as ts.NumericLiteral).text.replace(/_/g, '')) };
      case ts.SyntaxKind.TrueKeyword:
        return { k: 'lit', v: true };
      case ts.SyntaxKind.FalseKeyword:
        return { k: 'lit', v: false };
      case ts.SyntaxKind.NullKeyword:
        return { k: 'lit', v: null };
      case ts.SyntaxKind.ThisKeyword:
        return ctx.cls >= 0 ? { k: 'this', c: ctx.cls } : UNKNOWN;
      case ts.SyntaxKind.TemplateExpression: {
        const template = node as ts.TemplateExpression;
        const parts: Val[] = [{ k: 'lit', v: template.head.text }];
        for (const span of template.templateSpans) {
          parts.push(this.expr(span.expression, ctx), { k: 'lit', v: span.literal.text });
        }
        return { k: 'tpl', parts };
      }
      case ts.SyntaxKind.ObjectLiteralExpression:
        return this.objectLiteral(node as ts.ObjectLiteralExpression, ctx);
      case ts.SyntaxKind.ArrayLiteralExpression: {
        const elements = (node as ts.ArrayLiteralExpression).elements;
        const spreads = elements.flatMap((element, index) => (ts.isSpreadElement(element) ? [index] : []));
        const items = elements.map((element) => this.expr(ts.isSpreadElement(element) ? element.expression : element, ctx));
        return spreads.length > 0 ? { k: 'arr', items, spreads } : { k: 'arr', items };
      }
      case ts.SyntaxKind.PropertyAccessExpression: {
        const access = node as ts.PropertyAccessExpression;
        return { k: 'get', o: this.expr(access.expression, ctx), p: access.name.text };
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const access = node as ts.ElementAccessExpression;
        const object = this.expr(access.expression, ctx);
        const key = this.expr(access.argumentExpression, ctx);
        return { k: 'get', o: object, p: key.k === 'lit' && (typeof key.v === 'string' || typeof key.v === 'number') ? String(key.v) : null };
      }
      case ts.SyntaxKind.CallExpression:
        return this.call(node as ts.CallExpression, ctx);
      case ts.SyntaxKind.NewExpression:
        return this.call(node as ts.NewExpression, ctx);
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.AwaitExpression:
        // Promises are transparent here: `await axios.create()` is still the instance.
        return this.expr((node as ts.ParenthesizedExpression).expression, ctx);
      case ts.SyntaxKind.ConditionalExpression: {
        const conditional = node as ts.ConditionalExpression;
        this.expr(conditional.condition, ctx);
        return { k: 'alt', opts: [this.expr(conditional.whenTrue, ctx), this.expr(conditional.whenFalse, ctx)] };
      }
      case ts.SyntaxKind.BinaryExpression:
        return this.binary(node as ts.BinaryExpression, ctx);
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
        return this.functionLike(node as ts.ArrowFunction, ctx, ctx.cls);
      case ts.SyntaxKind.ClassExpression:
        return this.classLike(node as ts.ClassExpression, ctx);
      case ts.SyntaxKind.PrefixUnaryExpression: {
        const unary = node as ts.PrefixUnaryExpression;
        const operand = this.expr(unary.operand, ctx);
        if (unary.operator === ts.SyntaxKind.MinusToken && operand.k === 'lit' && typeof operand.v === 'number') return { k: 'lit', v: -operand.v };
        return UNKNOWN;
      }
      default:
        this.children(node, ctx);
        return UNKNOWN;
    }
  }

  /** Like expr(), but a function expression takes the name it is assigned to (`const rpc = async () => …`). */
  private exprNamed(node: ts.Expression, ctx: Context, name: string | undefined): Val {
    if (name !== undefined && (ts.isArrowFunction(node) || ts.isFunctionExpression(node))) return this.functionLike(node, ctx, ctx.cls, node.name?.text ?? name);
    return this.expr(node, ctx);
  }

  private objectLiteral(node: ts.ObjectLiteralExpression, ctx: Context): Val {
    const props: ObjProp[] = [];
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property)) {
        const computed = ts.isComputedPropertyName(property.name) ? this.expr(property.name.expression, ctx) : undefined;
        const key = propertyKey(property.name) ?? literalKey(computed);
        const value = this.exprNamed(property.initializer, ctx, key);
        if (key !== undefined) props.push({ key, v: value, span: this.span(property) });
        else props.push(computed ? { dynamic: true, keyExpr: computed, value, span: this.span(property) } : { dynamic: true });
      } else if (ts.isShorthandPropertyAssignment(property)) {
        props.push({ key: property.name.text, v: this.ref(property.name.text, ctx), span: this.span(property) });
      } else if (ts.isSpreadAssignment(property)) {
        props.push({ spread: this.expr(property.expression, ctx) });
      } else if (ts.isMethodDeclaration(property) || ts.isGetAccessorDeclaration(property)) {
        const key = propertyKey(property.name);
        const value = this.functionLike(property, ctx, ctx.cls, key);
        // A getter is read like a property: its value is what it returns.
        const read: Val = ts.isGetAccessorDeclaration(property) ? { k: 'call', c: this.syntheticCall(value, property) } : value;
        if (key !== undefined) props.push({ key, v: read, span: this.span(property) });
      } else if (ts.isSetAccessorDeclaration(property)) {
        this.functionLike(property, ctx);
      }
    }
    return { k: 'obj', props, span: this.span(node) };
  }


  /**
   * Nobody waits for call `index`; when it runs an async function written in place inside another function
   * (`(async () => { … })()`), nobody waits for that function's calls either. (A plain IIFE is often a module wrapper
   * whose functions others call.)
   */
  private detach(index: number): void {
    const fact = this.facts.calls[index];
    fact.detached = true;
    // At module level an async IIFE is a script's main: its calls are the program's own work, not a side job.
    if (fact.callee.k === 'fn' && fact.fn >= 0 && this.asyncFunctions.has(fact.callee.f)) this.facts.functions[fact.callee.f].detached = true;
  }

  /** `send().catch(log);` (or `.finally`) as a statement only handles the failure: nobody waits for `send()`. */
  private detachCaught(index: number): void {
    const { callee } = this.facts.calls[index];
    if (callee.k !== 'get' || (callee.p !== 'catch' && callee.p !== 'finally') || callee.o.k !== 'call') return;
    this.detach(callee.o.c);
    this.detachCaught(callee.o.c);
  }

  /** The calls made since `start` are in a branch that only a browser runs. */
  private markBrowserOnly(start: number): void {
    for (let index = start; index < this.facts.calls.length; index++) this.facts.calls[index].browserOnly = true;
  }

  private call(node: ts.CallExpression | ts.NewExpression, ctx: Context): Val {
    const isNew = ts.isNewExpression(node);
    const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    // `require('x')` and `import('x')` name a module, unless `require` is a local binding.
    if (!isNew && args.length >= 1) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require' && ctx.scope.lookup('require') === undefined;
      if (isRequire || callee.kind === ts.SyntaxKind.ImportKeyword) {
        const spec = stringValue(args[0]);
        if (spec !== undefined) {
          this.addImport(spec, args[0]);
          return { k: 'require', spec };
        }
        // A specifier built from parts (`${__dirname}/modules/${name}`) is resolved where its parts are known.
        if (isRequire && (ts.isTemplateExpression(args[0]) || ts.isBinaryExpression(args[0]))) return { k: 'requireExpr', arg: this.expr(args[0], ctx) };
      }
    }
    const callee = this.expr(node.expression, ctx);
    const argValues = args.map((arg) => (ts.isSpreadElement(arg) ? (this.expr(arg.expression, ctx), UNKNOWN) : this.expr(arg, ctx)));
    // `Object.assign(cfg, { timeout })`: cfg gains the sources' properties.
    if (!isNew && isObjectAssign(node.expression, ctx) && args.length >= 2) {
      const binding = ts.isIdentifier(args[0]) ? ctx.scope.lookup(args[0].text) : undefined;
      if (binding !== undefined) (this.facts.bindings[binding].props ??= []).push(...argValues.slice(1).map((source) => ({ spread: source })));
      // `Object.assign(client.defaults, { timeout })` is `client.defaults.timeout = …` for each literal key.
      if (binding === undefined && argValues[0].k === 'get') {
        for (const source of argValues.slice(1)) {
          if (source.k !== 'obj') continue;
          for (const prop of source.props) if ('key' in prop) this.facts.assignments.push({ target: { k: 'get', o: argValues[0], p: prop.key }, value: prop.v, span: prop.span });
        }
      }
    }
    const index = this.facts.calls.length;
    const fact: CallFact = { callee, args: argValues, isNew, span: this.span(node), fn: ctx.fn, text: calleeText(node.expression, this.sf) };
    this.facts.calls.push(fact);
    return { k: 'call', c: index };
  }

  private binary(node: ts.BinaryExpression, ctx: Context): Val {
    if (node.operatorToken.kind === ts.SyntaxKind.EqualsToken) return this.assignment(node, ctx);
    // Long left-leaning chains (`a + b + c + …` in generated code) are walked in a loop: recursion could overflow.
    const chain: ts.BinaryExpression[] = [node];
    let leftmost: ts.Expression = node.left;
    while (ts.isBinaryExpression(leftmost) && leftmost.operatorToken.kind !== ts.SyntaxKind.EqualsToken) {
      chain.push(leftmost);
      leftmost = leftmost.left;
    }
    let value = this.expr(leftmost, ctx);
    for (let i = chain.length - 1; i >= 0; i--) value = this.combine(chain[i].operatorToken.kind, value, this.expr(chain[i].right, ctx));
    return value;
  }

  private combine(operator: ts.SyntaxKind, left: Val, right: Val): Val {
    switch (operator) {
      case ts.SyntaxKind.BarBarToken:
      case ts.SyntaxKind.QuestionQuestionToken:
        return { k: 'alt', opts: [left, right] };
      case ts.SyntaxKind.PlusToken:
        return { k: 'bin', op: '+', l: left, r: right };
      case ts.SyntaxKind.MinusToken:
        return { k: 'bin', op: '-', l: left, r: right };
      case ts.SyntaxKind.AsteriskToken:
        return { k: 'bin', op: '*', l: left, r: right };
      case ts.SyntaxKind.SlashToken:
        return { k: 'bin', op: '/', l: left, r: right };
      case ts.SyntaxKind.CommaToken:
        return right;
      default:
        return UNKNOWN;
    }
  }

  private assignment(node: ts.BinaryExpression, ctx: Context): Val {
    const value = this.expr(node.right, ctx);
    const target = node.left;
    if (ts.isIdentifier(target)) {
      const binding = ctx.scope.lookup(target.text);
      if (binding !== undefined) this.reassign(binding, value);
      return value;
    }
    if (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) {
      const key = ts.isPropertyAccessExpression(target) ? target.name.text : stringValue(target.argumentExpression);
      const object = target.expression;
      // `this.x = …` inside a class: an instance member.
      if (object.kind === ts.SyntaxKind.ThisKeyword && ctx.cls >= 0 && key) {
        const members = this.facts.classes[ctx.cls].members;
        const existing = members[key];
        members[key] = existing && existing.k !== 'unknown' && existing.k !== 'typed' ? { k: 'alt', opts: [existing, value] } : value;
        return value;
      }
      // CommonJS exports: `module.exports = …`, `module.exports.x = …`, `exports.x = …`.
      if (isModuleExports(object, ctx) && key) {
        this.facts.exports.push({ name: key, value });
        return value;
      }
      if (ts.isIdentifier(object) && object.text === 'module' && key === 'exports' && ctx.scope.lookup('module') === undefined) {
        this.facts.exports.push({ name: '=', value });
        return value;
      }
      // `cfg.timeout = 5000` on a variable of this file: the object it holds gains that property.
      if (ts.isIdentifier(object) && key) {
        const binding = ctx.scope.lookup(object.text);
        if (binding !== undefined) (this.facts.bindings[binding].props ??= []).push({ key, v: withEarlierValue(value, binding, key, this.facts.bindings[binding].value), span: this.span(node) });
      }
      this.facts.assignments.push({ target: this.expr(target, ctx), value, span: this.span(node) });
      return value;
    }
    if (ts.isObjectLiteralExpression(target) || ts.isArrayLiteralExpression(target)) this.children(target, ctx);
    return value;
  }
}

// ── small syntax helpers ─────────────────────────────────────────────────────

function bindingNames(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const names: ts.Identifier[] = [];
  for (const element of name.elements) if (ts.isBindingElement(element)) names.push(...bindingNames(element.name));
  return names;
}

function stringValue(node: ts.Node): string | undefined {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

function propertyKey(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) return stringValue(name.expression);
  return undefined;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((modifier) => modifier.kind === kind) ?? false);
}

function isParameterPropertyModifier(modifier: ts.ModifierLike): boolean {
  return [ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.ReadonlyKeyword].includes(modifier.kind);
}

function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return (ts.canHaveDecorators(node) && ts.getDecorators(node)) || [];
}

function isObjectAssign(callee: ts.Expression, ctx: Context): boolean {
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && callee.name.text === 'assign' && ctx.scope.lookup('Object') === undefined;
}

function isModuleExports(node: ts.Expression, ctx: Context): boolean {
  if (ts.isIdentifier(node)) return node.text === 'exports' && ctx.scope.lookup('exports') === undefined;
  return (
    ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'module' &&
    node.name.text === 'exports' &&
    ctx.scope.lookup('module') === undefined
  );
}

/**
 * The identifiers a file reads as values: everything outside type positions and import declarations. A file with a
 * decorator counts its type names too, since decorator metadata turns them into values.
 */
function namesUsedAsValues(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const typeNames = new Set<string>();
  let decorated = false;
  // An explicit stack, not recursion: generated code nests deeper than the call stack allows.
  const stack: Array<[ts.Node, boolean]> = [[sf, false]];
  while (stack.length > 0) {
    const [node, inType] = stack.pop()!;
    if (ts.isImportDeclaration(node)) continue;
    if (ts.isDecorator(node)) decorated = true;
    // JSX compiled the classic way reads the React namespace.
    if (ts.isJsxOpeningLikeElement(node) || ts.isJsxFragment(node)) names.add('React');
    if (ts.isIdentifier(node)) {
      (inType ? typeNames : names).add(node.text);
      continue;
    }
    const typePosition =
      inType || (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node);
    // `class A extends B` reads B at run time; `implements` does not (the parser sets no parents, so decide here).
    const classLike = ts.isClassLike(node);
    ts.forEachChild(node, (child) => {
      stack.push([child, typePosition || (ts.isHeritageClause(child) && !(classLike && child.token === ts.SyntaxKind.ExtendsKeyword))]);
    });
  }
  if (decorated) for (const name of typeNames) names.add(name);
  return names;
}

function isTypeOnly(node: ts.Node): boolean {
  return (
    ts.isTypeNode(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    (ts.isEnumDeclaration(node) && false) ||
    ts.isTypeParameterDeclaration(node) ||
    ts.isHeritageClause(node)
  );
}

function isExpressionNode(node: ts.Node): boolean {
  return ts.isExpression(node);
}

function calleeText(node: ts.Expression, sf: ts.SourceFile): string {
  const text = node.getText(sf).replace(/\s+/g, '');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * `void send()`, or a statement that is a call with no callback (no `await`, no `.then`): nobody waits for the call's
 * result. A call given a function, or a name last (`client.getUser(req, callback)`), may answer through it: not detached.
 */
function isExported(statement: ts.Statement): boolean {
  return ts.canHaveModifiers(statement) && !!ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
}

/** How often each identifier occurs in the file (an explicit stack: generated code nests deep). */
function identifierCounts(sf: ts.SourceFile): Map<string, number> {
  const counts = new Map<string, number>();
  const stack: ts.Node[] = [sf];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isIdentifier(node)) counts.set(node.text, (counts.get(node.text) ?? 0) + 1);
    else ts.forEachChild(node, (child) => void stack.push(child));
  }
  return counts;
}

function skipParentheses(node: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(node) ? skipParentheses(node.expression) : node;
}

function isDetachedCall(expression: ts.Expression): boolean {
  const unwrap = (node: ts.Expression): ts.Expression => (ts.isParenthesizedExpression(node) ? unwrap(node.expression) : node);
  const statement = unwrap(expression);
  if (ts.isVoidExpression(statement)) return ts.isCallExpression(unwrap(statement.expression));
  if (!ts.isCallExpression(statement)) return false;
  const args = statement.arguments;
  const last = args[args.length - 1];
  return !args.some((arg) => ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) && !(last && ts.isIdentifier(last));
}

/**
 * Which runtime a branch condition selects: `typeof window !== 'undefined'` (or `document`, `=== 'object'`, an
 * `isBrowser()`-like call, also as the left operand of `&&`) selects the browser; `typeof window === 'undefined'` the server.
 */
function branchRuntime(condition: ts.Expression): 'browser' | 'server' | undefined {
  let test = condition;
  while (ts.isParenthesizedExpression(test)) test = test.expression;
  if (ts.isBinaryExpression(test) && test.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return branchRuntime(test.left) === 'browser' ? 'browser' : undefined;
  if (ts.isCallExpression(test) && ts.isIdentifier(test.expression) && /^is(In)?Browser$/.test(test.expression.text)) return 'browser';
  if (!ts.isBinaryExpression(test)) return undefined;
  const [typeOf, literal] = ts.isTypeOfExpression(test.left) ? [test.left, test.right] : [test.right, test.left];
  if (!ts.isTypeOfExpression(typeOf) || !ts.isIdentifier(typeOf.expression) || !['window', 'document'].includes(typeOf.expression.text)) return undefined;
  if (!ts.isStringLiteral(literal)) return undefined;
  const kind = test.operatorToken.kind;
  const equals = kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken;
  const differs = kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
  if ((differs && literal.text === 'undefined') || (equals && literal.text === 'object')) return 'browser';
  if (equals && literal.text === 'undefined') return 'server';
  return undefined;
}

/** A computed key that is a literal (`['x-request-id']`) is an ordinary key. */
function literalKey(key: Val | undefined): string | undefined {
  return key?.k === 'lit' && key.v !== undefined && key.v !== null ? String(key.v) : undefined;
}

/**
 * `opts.headers = opts.headers || {}`: the `opts.headers` read on the right is the one from before the assignment, so
 * it reads the binding's own value (`earlier`) rather than the property being written, which would refer to itself.
 */
function withEarlierValue(value: Val, binding: number, key: string, earlier: Val, depth = 0): Val {
  if (depth > 4) return value;
  switch (value.k) {
    case 'get':
      return value.p === key && value.o.k === 'ref' && value.o.b === binding ? { k: 'get', o: earlier, p: key } : value;
    case 'alt':
      return { k: 'alt', opts: value.opts.map((option) => withEarlierValue(option, binding, key, earlier, depth + 1)) };
    default:
      return value;
  }
}
