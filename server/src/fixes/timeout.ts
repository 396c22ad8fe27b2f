// Quick fixes that change code: for missing-timeout, add the library's own timeout option where the finding is (the
// call's options, or the client's), in the style of the surrounding object literal.
import { ts } from 'ts-morph';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { AnalysisResult, TimeoutFix } from '../../../engine';
import { scriptKindFor } from '../../../engine/extract/extract';
import { SOURCE } from '../diagnostics';

export function timeoutQuickFixes(result: AnalysisResult, relativePath: string, uri: string, text: string, diagnostics: Diagnostic[], ms: number): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== SOURCE || diagnostic.code !== 'missing-timeout') continue;
    const { line, character } = diagnostic.range.start;
    const at = (location: { file: string; line: number; column: number }) => location.file === relativePath && location.line === line + 1 && location.column === character + 1;
    const target = result.model.clients.find((client) => at(client.location)) ?? result.model.calls.find((call) => at(call.location));
    if (!target?.timeoutFix) continue;
    const edit = addOption(text, relativePath, line, character, target.timeoutFix, ms);
    if (!edit) continue;
    const option = `${target.timeoutFix.key}: ${target.timeoutFix.value.replace('{ms}', String(ms))}`;
    actions.push({ title: `Add \`${option}\``, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, edit: { changes: { [uri]: [edit] } } });
  }
  return actions;
}

/** The edit that adds `key: value` to the call starting at (line, character), or undefined when no safe edit is known. */
export function addOption(text: string, fileName: string, line: number, character: number, fix: TimeoutFix, ms: number): TextEdit | undefined {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindFor(fileName));
  const offset = sf.getPositionOfLineAndCharacter(line, character);
  const call = findCall(sf, offset);
  if (!call) return undefined;
  const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  const entry = `${fix.key}: ${fix.value.replace('{ms}', String(ms))}`;
  const indexes = fix.arguments === 'last' ? [Math.max(args.length - 1, 0)] : fix.arguments;
  for (const index of indexes) {
    const arg = args[index];
    if (arg && ts.isObjectLiteralExpression(arg)) return intoObject(sf, arg, fix.key, entry);
  }
  // No options object yet: add one as the next argument, when that is where the options go.
  const next = fix.arguments === 'last' ? args.length : indexes[0];
  if (next !== args.length) return undefined;
  const position = args.length > 0 ? args[args.length - 1].getEnd() : call.getEnd() - 1;
  if (args.length === 0 && text[position] !== ')') return undefined;
  return { range: range(sf, position, position), newText: `${args.length > 0 ? ', ' : ''}{ ${entry} }` };
}

/** The edit that adds `entry` (a property named `key`, or a spread) to an object literal, in its style; undefined when `key` is there already. */
export function intoObject(sf: ts.SourceFile, object: ts.ObjectLiteralExpression, key: string | undefined, entry: string): TextEdit | undefined {
  // A property of that name is already there (`timeout: 0`): changing it is the user's call.
  const named = (name: ts.PropertyName | undefined) => !!name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text.toLowerCase() === key?.toLowerCase();
  if (object.properties.some((property) => named(property.name))) return undefined;
  const properties = object.properties;
  if (properties.length === 0) return { range: range(sf, object.getStart(sf), object.getEnd()), newText: `{ ${entry} }` };
  const last = properties[properties.length - 1];
  const multiline = sf.getLineAndCharacterOfPosition(last.getStart(sf)).line !== sf.getLineAndCharacterOfPosition(object.getStart(sf)).line;
  if (multiline) {
    const lineStart = sf.getPositionOfLineAndCharacter(sf.getLineAndCharacterOfPosition(last.getStart(sf)).line, 0);
    const indent = /^\s*/.exec(sf.text.slice(lineStart, last.getStart(sf)))?.[0] ?? '';
    const trailingComma = properties.hasTrailingComma;
    const end = trailingComma ? object.properties.end : last.getEnd();
    return { range: range(sf, end, end), newText: `${trailingComma ? '' : ','}\n${indent}${entry}${trailingComma ? ',' : ''}` };
  }
  return { range: range(sf, last.getEnd(), last.getEnd()), newText: `, ${entry}` };
}

/** The call expression that starts at `offset`; of a chain (`axios.get(u).then(f)`), the innermost. */
export function findCall(sf: ts.SourceFile, offset: number): ts.CallExpression | ts.NewExpression | undefined {
  let found: ts.CallExpression | ts.NewExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getEnd() < offset || node.getStart(sf) > offset) return;
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.getStart(sf) === offset && (!found || node.getEnd() < found.getEnd())) found = node;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

export function range(sf: ts.SourceFile, start: number, end: number) {
  return { start: sf.getLineAndCharacterOfPosition(start), end: sf.getLineAndCharacterOfPosition(end) };
}
