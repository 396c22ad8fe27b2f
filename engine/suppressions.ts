// Applies inline directives (`breakwater-disable…`, `breakwater-enable`) to findings, the way ESLint applies its own:
// a suppressed finding is kept (SARIF and JSON report it as suppressed) but carries `suppressed`, so it is neither
// printed nor counted. A directive that names an unknown rule is a notice on its file, with the nearest rule id; with
// `reportUnused`, so is a directive that suppresses nothing (ESLint's --report-unused-disable-directives).
import type { FileFacts, SuppressionComment } from './extract/facts';
import type { Finding, Notice } from './types';

export interface DirectiveOptions {
  /** Every rule id Breakwater has: any other name in a directive is reported. */
  knownRules: readonly string[];
  /** The rules that ran: only their directives can be judged unused. */
  ranRules: ReadonlySet<string>;
  /** Report directives that suppress nothing. */
  reportUnused?: boolean;
}

export function applySuppressions(findings: Finding[], facts: FileFacts[], options: DirectiveOptions): { findings: Finding[]; notices: Notice[] } {
  const byFile = new Map(facts.filter((file) => file.suppressions.length > 0).map((file) => [file.path, file.suppressions]));
  // Which rules each directive suppressed a finding of.
  const used = new Map<SuppressionComment, Set<string>>();
  const out = findings.map((finding) => {
    const directives = byFile.get(finding.location.file);
    const directive = directives && coveringDirective(directives, finding);
    if (!directive) return finding;
    const rules = used.get(directive) ?? new Set<string>();
    rules.add(finding.ruleId);
    used.set(directive, rules);
    return { ...finding, suppressed: { kind: 'inline' as const, ...(directive.justification && { justification: directive.justification }) } };
  });

  const known = new Set(options.knownRules);
  const notices: Notice[] = [];
  for (const [file, directives] of byFile) {
    for (const directive of directives) {
      const where = { file, line: directive.line, column: directive.column };
      const name = `breakwater-${directive.kind}`;
      for (const rule of directive.rules.filter((id) => !known.has(id))) {
        const guess = nearest(rule, options.knownRules);
        notices.push({ message: `${file}:${directive.line}: unknown rule "${rule}" in a ${name} comment${guess ? `; did you mean "${guess}"?` : ''}`, ...where, level: 'warning' });
      }
      if (!options.reportUnused || directive.kind === 'enable') continue;
      const suppressed = used.get(directive) ?? new Set<string>();
      if (directive.rules.length === 0) {
        if (suppressed.size === 0) notices.push({ message: `${file}:${directive.line}: unused ${name} directive (no problems were reported)`, ...where, level: 'warning' });
        continue;
      }
      const unused = directive.rules.filter((id) => known.has(id) && options.ranRules.has(id) && !suppressed.has(id));
      if (unused.length > 0) {
        notices.push({ message: `${file}:${directive.line}: unused ${name} directive (no problems were reported from ${unused.map((id) => `'${id}'`).join(' or ')})`, ...where, level: 'warning' });
      }
    }
  }
  return { findings: out, notices };
}

/** The directive that turns the finding's rule off where the finding starts, if any. */
function coveringDirective(directives: readonly SuppressionComment[], finding: Finding): SuppressionComment | undefined {
  const { line, column } = finding.location;
  const rule = finding.ruleId;
  const names = (directive: SuppressionComment) => directive.rules.length === 0 || directive.rules.includes(rule);
  for (const directive of directives) {
    if (directive.kind === 'disable-line' && directive.line === line && names(directive)) return directive;
    if (directive.kind === 'disable-next-line' && directive.endLine + 1 === line && names(directive)) return directive;
  }
  // Blocks: the last `disable` or `enable` before the finding that concerns its rule decides.
  let off: SuppressionComment | undefined;
  for (const directive of directives) {
    if (directive.kind !== 'disable' && directive.kind !== 'enable') continue;
    if (directive.endLine > line || (directive.endLine === line && directive.endColumn > column)) break;
    if (!names(directive)) continue;
    off = directive.kind === 'disable' ? directive : undefined;
  }
  return off;
}

/** The known id closest to a mistyped one, when it is close enough to be what was meant. */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
