// What extraction keeps of one file: plain, serialisable data (cacheable by content hash, computable in a worker).
// Expressions become small symbolic values (`Val`) that the link stage evaluates across files.

/** A position in the file: 1-based line and column of start and end. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A symbolic value: what an expression is made of, with names resolved to bindings of this file. */
export type Val =
  | { k: 'lit'; v: string | number | boolean | null | undefined }
  /** A template literal or string concatenation. */
  | { k: 'tpl'; parts: Val[] }
  | { k: 'obj'; props: ObjProp[]; span: Span }
  /** `spreads`: the indexes of items written as `...list` (their Val is the list spread). */
  | { k: 'arr'; items: Val[]; spreads?: number[] }
  /** A binding of this file (variable, parameter, function, class, import). */
  | { k: 'ref'; b: number }
  /** A name bound nowhere in the file: a global such as `fetch`, `process`, `AbortSignal`. */
  | { k: 'global'; name: string }
  /** Property access; `p` is null when the key is computed and not a literal. */
  | { k: 'get'; o: Val; p: string | null }
  /** The result of call number `c` of this file (see FileFacts.calls). */
  | { k: 'call'; c: number }
  /** A function value (see FileFacts.functions). */
  | { k: 'fn'; f: number }
  /** A class value (see FileFacts.classes). */
  | { k: 'class'; c: number }
  /** `this` inside class number `c`. */
  | { k: 'this'; c: number }
  /** Parameter `i` of function `f`, as seen from inside it. `type` is the annotation's value when it names one. */
  | { k: 'param'; f: number; i: number; type?: Val; dflt?: Val }
  /** A typed declaration with no value (`private readonly http: HttpService`). */
  | { k: 'typed'; type: Val }
  /** `require('x')` or `import('x')`. */
  | { k: 'require'; spec: string }
  /** `require(\`${__dirname}/modules/${name}\`)`: a module named by an expression, resolved when its parts are known. */
  | { k: 'requireExpr'; arg: Val }
  /** One of several values (conditional, `||`, `??`, reassignment). */
  | { k: 'alt'; opts: Val[] }
  | { k: 'bin'; op: '+' | '-' | '*' | '/'; l: Val; r: Val }
  | { k: 'unknown' };

/** A computed key that is not a literal keeps its expression and value (`{ [name]: load(name) }`), known once `name` is. */
export type ObjProp = { key: string; v: Val; span: Span } | { spread: Val } | { dynamic: true; keyExpr?: Val; value?: Val; span?: Span };

export interface Binding {
  name: string;
  kind: 'const' | 'let' | 'var' | 'param' | 'function' | 'class' | 'import';
  /** The value: initializer (with reassignments as alternatives), or the import it stands for. */
  value: Val;
  span: Span;
  /** For imports: the module specifier and the imported name (`default`, `*`, or a name). */
  from?: string;
  imported?: string;
  /** True when declared at the top level of the module (created once per process). */
  moduleLevel: boolean;
  /** Properties written on it later (`cfg.timeout = 5000`, `Object.assign(cfg, {…})`): they extend an object value. */
  props?: ObjProp[];
}

export interface CallFact {
  callee: Val;
  args: Val[];
  isNew: boolean;
  /** The whole call expression. */
  span: Span;
  /** The function the call is written in, or -1 at module level. */
  fn: number;
  /** The called name as written, for messages (`axios.get`, `fetch`). */
  text: string;
  /** Its result is thrown away (`void send()`, or a statement of its own, not awaited): nothing waits for it. */
  detached?: true;
  /** Written in a branch that only runs in a browser (`if (typeof window !== 'undefined') …`). */
  browserOnly?: true;
}

export interface FunctionFact {
  name?: string;
  params: number[];
  /** What it returns: the expression body, or every `return` expression. */
  returns: Val[];
  span: Span;
  /** The enclosing function, or -1. */
  parent: number;
  /** The class it is a method of, or -1. */
  cls: number;
  /** Its decorators' expressions (`@Get(':id')` is the call `Get(':id')`). */
  decorators?: Val[];
  /** Run in place with its result dropped (`(async () => { … })();`): nobody waits for what it does. */
  detached?: true;
  /** A module-level function of this file that no code names (not exported, never called or passed): it never runs. */
  unreferenced?: true;
}

export interface ClassFact {
  name?: string;
  /** Instance members: property initializers, constructor parameter properties, `this.x = …` assignments, methods. */
  members: Record<string, Val>;
  /** Static members and methods of the class value itself. */
  statics: Record<string, Val>;
  extends?: Val;
  span: Span;
}

/** `target.path = value` where the target is not a plain variable: e.g. `axios.defaults.timeout = 5000`. */
export interface MemberAssignment {
  target: Val;
  value: Val;
  span: Span;
}

export interface ExportFact {
  /** Exported name: `default`, a name, or `*` for `export * from`. */
  name: string;
  value: Val;
}

/** `disable` turns rules off from the comment on, until an `enable` turns them on again. */
export type DirectiveKind = 'disable' | 'enable' | 'disable-line' | 'disable-next-line';

/** An inline directive (`// breakwater-disable-next-line missing-timeout -- reason`), from the parser's comments. */
export interface SuppressionComment {
  kind: DirectiveKind;
  /** Where the comment starts and ends, 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Rule ids as written, without a `breakwater/` prefix; empty means every rule. */
  rules: string[];
  /** The text after `--`. */
  justification?: string;
}

export interface FileFacts {
  path: string;
  bindings: Binding[];
  calls: CallFact[];
  functions: FunctionFact[];
  classes: ClassFact[];
  assignments: MemberAssignment[];
  exports: ExportFact[];
  /** Module specifiers of `export * from '…'`. */
  reexportAll: string[];
  /** Every module specifier imported or required. */
  imports: string[];
  /** Where each import's module specifier is written (`'./db.js'`), in the order of `imports`. */
  importSpans: Span[];
  /** Module specifiers imported for their types only (`import type`, or names used only as types): no dependency at run time, but still a sign of what the file is (React types in a component). */
  typeImports?: string[];
  suppressions: SuppressionComment[];
  /** How many syntax errors the parser recovered from: the facts cover what could be parsed. */
  syntaxErrors?: number;
  /** The first syntax error: where, and TypeScript's words for it. */
  firstSyntaxError?: { line: number; column: number; message: string };
  /** The file is browser code (`'use client'`): its calls do not leave a server process. */
  browser?: boolean;
  /** It starts with a `#!` line: a script run from a shell. */
  shebang?: true;
  /** String literals that look like header names (`x-request-id`, `traceparent`), lower-cased: a cheap index for rules about headers. */
  headerNames: string[];
}
