// Code actions for cross-service-db-access. There is no safe rewrite (the data must come from the owner's API or its
// events), so they lead the way: the rule's "How to fix", and the owning service's API when the model knows its
// server. Both open through `window/showDocument` (OPEN_DOCS_COMMAND).
import { CodeActionKind, type CodeAction } from 'vscode-languageserver/node';
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
      actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: OPEN_DOCS_COMMAND, arguments: [`${href}#how-to-fix`] } });
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
