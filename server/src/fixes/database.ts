// Code actions for cross-service-db-access. There is no safe rewrite (the data must come from the owner's API or its
// events), so they lead the way: the rule's "How to fix", and the owning service's API when the model knows its
// server. Both open through `window/showDocument` (OPEN_DOCS_COMMAND).
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver/node';
import { OPEN_DOCS_COMMAND } from '../actions';
import { fileUri, SOURCE, toRange } from '../diagnostics';
import type { FixContext } from './index';
import { startsAt } from './source';

export function databaseActions(context: FixContext): CodeAction[] {
  const { result, relativePath, diagnostics } = context;
  const actions: CodeAction[] = [];
  const docsUrl = result.rules.find((rule) => rule.meta.id === 'cross-service-db-access')?.meta.docsUrl;
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== SOURCE || diagnostic.code !== 'cross-service-db-access') continue;
    const owner =
      result.model.databaseUses.find((use) => startsAt(use.location, relativePath, diagnostic))?.owner ??
      result.model.crossServiceImports.find((item) => startsAt(item.location, relativePath, diagnostic))?.targetService;
    if (!owner) continue;
    const href = diagnostic.codeDescription?.href ?? docsUrl;
    if (href) {
      const title = `Read how to use the ${owner} service's data without its database`;
      actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: OPEN_DOCS_COMMAND, arguments: howToFix(href) } });
    }
    // The owner's API: where its server is created (the first, by file and position).
    const server = result.model.servers.find((candidate) => candidate.service === owner);
    if (server) {
      const title = `Open the ${owner} service's API (${server.location.file})`;
      actions.push({
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title, command: OPEN_DOCS_COMMAND, arguments: [fileUri(result.root, server.location.file), toRange(server.location)] },
      });
    }
  }
  return actions;
}

/**
 * The "How to fix" section of the rule's page: an anchor on a web page; on the page that ships with the package (a
 * file, opened in the editor), the heading's line, selected.
 */
function howToFix(href: string): [string] | [string, Range] {
  if (!href.startsWith('file:')) return [`${href}#how-to-fix`];
  let line = -1;
  try {
    line = fs.readFileSync(fileURLToPath(href), 'utf8').split('\n').findIndex((text) => text.startsWith('## How to fix'));
  } catch {
    // no page there: open what the link names
  }
  return line < 0 ? [href] : [href, { start: { line, character: 0 }, end: { line, character: '## How to fix'.length } }];
}
