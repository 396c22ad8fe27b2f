// What the server reports, per document: the diagnostics and a result ID that changes only when they do. Clients that
// pull diagnostics (LSP 3.17 `textDocument/diagnostic`, `workspace/diagnostic`) get "unchanged" for a document whose
// diagnostics did not change; clients that do not are pushed only the documents that changed.
import type { CancellationToken, Diagnostic } from 'vscode-languageserver/node';

export interface DocumentReport {
  resultId: string;
  diagnostics: Diagnostic[];
}

export class DiagnosticsStore {
  private readonly reports = new Map<string, DocumentReport & { key: string }>();
  private nextResultId = 1;
  private waiters = new Set<() => void>();

  /**
   * Replaces the diagnostics of the documents one folder reports: `previous` are the URIs it reported last time (now
   * cleared unless in `next`). Returns the URIs whose diagnostics changed.
   */
  replace(previous: Iterable<string>, next: Map<string, Diagnostic[]>): string[] {
    const changed: string[] = [];
    for (const uri of new Set([...previous, ...next.keys()])) {
      const diagnostics = next.get(uri) ?? [];
      const key = JSON.stringify(diagnostics);
      if (this.reports.get(uri)?.key === key) continue;
      this.reports.set(uri, { resultId: String(this.nextResultId++), diagnostics, key });
      changed.push(uri);
    }
    if (changed.length > 0) {
      const waiters = this.waiters;
      this.waiters = new Set();
      for (const wake of waiters) wake();
    }
    return changed;
  }

  get(uri: string): DocumentReport {
    const report = this.reports.get(uri);
    return report ? { resultId: report.resultId, diagnostics: report.diagnostics } : { resultId: '0', diagnostics: [] };
  }

  /** The documents whose diagnostics differ from what the client last saw (`previous`: URI → result ID). */
  changedSince(previous: Map<string, string>): Array<[string, DocumentReport]> {
    const changed: Array<[string, DocumentReport]> = [];
    for (const [uri, report] of this.reports) {
      if (previous.get(uri) === report.resultId) continue;
      // A document that never had diagnostics need not be reported as empty.
      if (!previous.has(uri) && report.diagnostics.length === 0) continue;
      changed.push([uri, { resultId: report.resultId, diagnostics: report.diagnostics }]);
    }
    return changed;
  }

  /** Resolves at the next change, or when the request is cancelled. */
  nextChange(token: CancellationToken): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.waiters.delete(wake);
        listener.dispose();
        resolve();
      };
      const listener = token.onCancellationRequested(wake);
      this.waiters.add(wake);
    });
  }
}
