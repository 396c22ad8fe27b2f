// Applies inline `breakwater-disable…` comments to findings: a suppressed finding is kept (SARIF reports it as
// suppressed) but carries `suppressed`, so it is neither printed nor counted.
import type { FileFacts } from './extract/facts';
import type { Finding } from './types';

export function applySuppressions(findings: Finding[], facts: FileFacts[]): Finding[] {
  const byFile = new Map(facts.filter((file) => file.suppressions.length > 0).map((file) => [file.path, file.suppressions]));
  return findings.map((finding) => {
    const comments = byFile.get(finding.location.file);
    const comment = comments?.find(
      (candidate) => (candidate.line === 0 || candidate.line === finding.location.line) && (candidate.rules.length === 0 || candidate.rules.includes(finding.ruleId)),
    );
    if (!comment) return finding;
    return { ...finding, suppressed: { kind: 'inline', ...(comment.justification && { justification: comment.justification }) } };
  });
}
