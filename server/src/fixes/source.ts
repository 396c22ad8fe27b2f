// What the fixes share about the file they edit: its syntax tree, its style (quotes, semicolons, indent), the names it
// binds, and the edits that add an import or a module-level declaration. Fixes write code the way the file does.
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { Diagnostic, TextEdit } from 'vscode-languageserver/node';
import type { SourceLocation } from '../../../engine';
import { scriptKindFor } from '../../../engine/extract/extract';
import { range } from './timeout';

export interface Style {
  quote: "'" | '"';
  semicolon: string;
  /** One level of indentation. */
  indent: string;
}

export function parse(text: string, fileName: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindFor(fileName));
}

/** Quotes of the first string literal, semicolons as most statements have them, the first indentation found. */
export function styleOf(sf: ts.SourceFile): Style {
  let quote: Style['quote'] | undefined;
  const visit = (node: ts.Node): void => {
    if (quote) return;
    if (ts.isStringLiteral(node)) quote = node.getText(sf).startsWith('"') ? '"' : "'";
    else ts.forEachChild(node, visit);
  };
  visit(sf);
  const simple = sf.statements.filter((statement) => ts.isImportDeclaration(statement) || ts.isVariableStatement(statement) || ts.isExpressionStatement(statement) || ts.isExportDeclaration(statement));
  const withSemicolon = simple.filter((statement) => statement.getText(sf).endsWith(';')).length;
  const indent = /^([ \t]+)\S/m.exec(sf.text)?.[1] ?? '  ';
  return { quote: quote ?? "'", semicolon: simple.length === 0 || withSemicolon * 2 >= simple.length ? ';' : '', indent: indent.startsWith('\t') ? '\t' : indent };
}

/** The offset of a 1-based model location in this file. */
export function offsetOf(sf: ts.SourceFile, location: Pick<SourceLocation, 'line' | 'column'>): number {
  return sf.getPositionOfLineAndCharacter(location.line - 1, location.column - 1);
}

/** Does a model location start where the diagnostic does, in this file? */
export function startsAt(location: SourceLocation, relativePath: string, diagnostic: Diagnostic): boolean {
  const { line, character } = diagnostic.range.start;
  return location.file === relativePath && location.line === line + 1 && location.column === character + 1;
}

/** Every name declared anywhere in the file (variables, parameters, functions, classes, imports), with how often. */
export function declarations(sf: ts.SourceFile): Map<string, ts.Node[]> {
  const found = new Map<string, ts.Node[]>();
  const add = (name: ts.Node | undefined, node: ts.Node) => {
    if (!name) return;
    if (ts.isIdentifier(name)) found.set(name.text, [...(found.get(name.text) ?? []), node]);
    else if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)) for (const element of name.elements) if (!ts.isOmittedExpression(element)) add(element.name, element);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassExpression(node) || ts.isEnumDeclaration(node)) add(node.name, node);
    if (ts.isImportClause(node) || ts.isNamespaceImport(node) || ts.isImportSpecifier(node) || ts.isImportEqualsDeclaration(node)) add(node.name, node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Every identifier written in the file: a new name must be none of them. */
export function identifiers(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return names;
}

/** Is `name` declared exactly once, at the top of the module (so every reference in the file means that one)? */
export function boundOnceAtTop(sf: ts.SourceFile, name: string): boolean {
  const found = declarations(sf).get(name) ?? [];
  if (found.length !== 1) return false;
  let node: ts.Node = found[0];
  while (node.parent && !ts.isSourceFile(node.parent)) {
    if (ts.isFunctionLike(node.parent) || ts.isBlock(node.parent) || ts.isClassLike(node.parent)) return false;
    node = node.parent;
  }
  return true;
}

/** ES module syntax: a file that imports, or TypeScript (CommonJS `require` files get no import added). */
export function usesImports(sf: ts.SourceFile): boolean {
  return sf.statements.some(ts.isImportDeclaration) || /\.(ts|tsx|mts)$/.test(sf.fileName);
}

/** Does the expression contain `await` or `yield` of its own (not of a nested function)? Wrapping it in an arrow would break it. */
export function awaitsInside(node: ts.Node): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found || ts.isFunctionLike(child)) return;
    if (ts.isAwaitExpression(child) || ts.isYieldExpression(child)) found = true;
    else ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

/** Is the value of the expression thrown away (`await call();`, `call();`)? */
export function valueDiscarded(node: ts.Node): boolean {
  let current = node;
  while (ts.isAwaitExpression(current.parent) || ts.isParenthesizedExpression(current.parent) || ts.isVoidExpression(current.parent)) current = current.parent;
  return ts.isExpressionStatement(current.parent);
}

/** A name for code about one downstream, from its service, host or environment variable: `inventory`, `apiAcmeExample`, `emailApi`. */
export function camelName(downstream: string): string | undefined {
  const words = downstream
    .replace(/_(URL|URI|HOST|ADDR|ADDRESS|ENDPOINT)$/i, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
  if (words.length === 0) return undefined;
  const name = words[0] + words.slice(1).map((word) => word[0].toUpperCase() + word.slice(1)).join('');
  return /^[A-Za-z_$]/.test(name) ? name : undefined;
}

export const capitalise = (word: string) => word[0].toUpperCase() + word.slice(1);

/** Where new module-level code goes: after the last import, else at the top (after a shebang). */
export function afterImports(sf: ts.SourceFile): { position: number; hasImports: boolean } {
  const imports = sf.statements.filter(ts.isImportDeclaration);
  if (imports.length > 0) return { position: imports[imports.length - 1].getEnd(), hasImports: true };
  return { position: sf.text.startsWith('#!') ? sf.text.indexOf('\n') + 1 : 0, hasImports: false };
}

/** A module the fix needs names from: named imports, or the default export under a local name. */
export interface NeededImport {
  module: string;
  named?: string[];
  defaultName?: string;
}

/**
 * The names to use for a needed import, and the edits that add it: missing names join an existing `import { … }` from
 * that module, else a new import line is returned to be written after the imports. Undefined when a name is taken by
 * something else.
 */
export function ensureImport(sf: ts.SourceFile, style: Style, needed: NeededImport): { edits: TextEdit[]; newLine?: string; defaultName?: string } | undefined {
  const fromModule = sf.statements.filter((statement): statement is ts.ImportDeclaration => ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === needed.module && !statement.importClause?.isTypeOnly);
  const declared = declarations(sf);
  const edits: TextEdit[] = [];
  const parts: string[] = [];
  let defaultName = needed.defaultName;
  if (needed.defaultName) {
    const existing = fromModule.find((statement) => statement.importClause?.name)?.importClause?.name?.text;
    if (existing) defaultName = existing;
    else if (declared.has(needed.defaultName)) return undefined;
    else parts.push(needed.defaultName);
  }
  const missing: string[] = [];
  for (const name of needed.named ?? []) {
    const imported = fromModule.some((statement) => {
      const bindings = statement.importClause?.namedBindings;
      return !!bindings && ts.isNamedImports(bindings) && bindings.elements.some((element) => !element.isTypeOnly && element.name.text === name && (element.propertyName?.text ?? name) === name);
    });
    if (imported) continue;
    if (declared.has(name)) return undefined;
    missing.push(name);
  }
  const named = fromModule.map((statement) => statement.importClause?.namedBindings).find((bindings): bindings is ts.NamedImports => !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0);
  if (missing.length > 0 && named && parts.length === 0) {
    const last = named.elements[named.elements.length - 1];
    const at = named.elements.hasTrailingComma ? named.elements.end : last.getEnd();
    edits.push({ range: range(sf, at, at), newText: named.elements.hasTrailingComma ? ` ${missing.join(', ')},` : `, ${missing.join(', ')}` });
  } else if (missing.length > 0) {
    parts.push(`{ ${missing.join(', ')} }`);
  }
  const newLine = parts.length > 0 ? `import ${parts.join(', ')} from ${style.quote}${needed.module}${style.quote}${style.semicolon}` : undefined;
  return { edits, newLine, defaultName };
}

/** The edit that writes new import lines and module-level declarations after the imports. */
export function moduleLevelEdit(sf: ts.SourceFile, importLines: string[], declarationLines: string[]): TextEdit | undefined {
  if (importLines.length === 0 && declarationLines.length === 0) return undefined;
  const { position, hasImports } = afterImports(sf);
  const imports = importLines.join('\n');
  const declarations = declarationLines.join('\n');
  let text: string;
  if (hasImports) text = `${imports ? `\n${imports}` : ''}${declarations ? `\n\n${declarations}` : ''}`;
  else text = `${imports ? `${imports}\n\n` : ''}${declarations ? `${declarations}\n\n` : ''}`;
  return { range: range(sf, position, position), newText: text };
}

/** A module specifier written in `fromFile` that names what `specifier` names in `inFile` (relative ones are re-based). */
export function rebaseSpecifier(specifier: string, inFile: string, fromFile: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const target = path.posix.join(path.posix.dirname(inFile), specifier);
  const relative = path.posix.relative(path.posix.dirname(fromFile), target);
  return relative.startsWith('.') ? relative : `./${relative}`;
}
