// What `breakwater init` (and the editor's "Create Configuration") writes: a commented breakwater.json that states
// what an analysis found, so a team starts from the tool's reading of their repo and corrects it where it is wrong.
import { allRules } from '../../rules';
import type { AnalysisResult } from '../index';

/** The config text for `result` (an analysis run with no config), with `schema` as its `$schema`. */
export function initialConfigText(result: AnalysisResult, schema: string): string {
  const { model } = result;
  const lines: string[] = [];
  const comment = (text: string, indent = '  ') => lines.push(`${indent}// ${text}`);
  const json = (value: unknown) => JSON.stringify(value);

  lines.push(`// Breakwater's configuration, written by \`breakwater init\`: what it found in this workspace. Edit what it got`);
  lines.push('// wrong; an entry you delete is found again by itself. Every option: the README, "Configuration".');
  lines.push('{');
  lines.push(`  "$schema": ${json(schema)},`);

  comment('The services: what serves requests or consumes messages. Found:');
  for (const service of model.services) comment(`  ${service.name} (${service.root}): ${service.evidence}${service.runs !== 'server' ? ` [${service.runs}]` : ''}`);
  if (model.services.length === 0) comment('  none: every package looks like shared code, a tool or browser code.');
  lines.push(`  "services": ${json(Object.fromEntries(model.services.map((service) => [service.name, service.root])))},`);

  comment('Shared libraries: analysed where the services use them, never services themselves. Found:');
  for (const library of model.libraries) comment(`  ${library.name} (${library.root}): ${library.evidence}`);
  lines.push(`  "libraries": ${json(model.libraries.map((library) => library.root))},`);

  const owners = databaseOwners(result);
  comment('Databases and the service that owns each (cross-service-db-access). Found:');
  for (const [database, { owner, reason }] of owners) comment(`  ${database} → ${owner}${reason ? ` (${reason})` : ''}`);
  if (owners.size === 0) comment('  none whose owner could be told; add { "<database, host or env var>": "<service>" } here.');
  lines.push(`  "databases": ${json(Object.fromEntries([...owners].map(([database, { owner }]) => [database, owner])))},`);

  comment('What the code uses, for reference (not options):');
  comment(`  client libraries: ${summary(model.calls.map((call) => call.library)) || 'none found'}`);
  const breakers = model.policies.filter((policy) => policy.kinds.includes('breaker'));
  comment(`  circuit breakers: ${breakers.length > 0 ? breakers.slice(0, 5).map((policy) => `${policy.callee} at ${policy.location.file}:${policy.location.line}`).join('; ') + (breakers.length > 5 ? `; ${breakers.length - 5} more` : '') : 'none found'}`);
  comment(`  tracing (correlation IDs): ${model.tracing.length > 0 ? model.tracing.slice(0, 3).map((setup) => `${setup.location.file}:${setup.location.line}`).join('; ') : 'none found'}`);

  comment('Rule severities: "error", "warn" or "off". Findings today, by rule:');
  const byRule = new Map<string, number>();
  for (const finding of result.findings) if (!finding.suppressed) byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
  lines.push('  "rules": {');
  allRules.forEach((meta, index) => {
    const severity = meta.defaultSeverity === 'error' ? 'error' : 'warn';
    lines.push(`    ${json(meta.id)}: ${json(severity)}${index < allRules.length - 1 ? ',' : ''} // ${count(byRule.get(meta.id) ?? 0, 'finding')}`);
  });
  lines.push('  }');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Each database whose owner was told, by the name breakwater.json takes: its database name, host or environment variable. */
function databaseOwners(result: AnalysisResult): Map<string, { owner: string; reason?: string }> {
  const owners = new Map<string, { owner: string; reason?: string }>();
  for (const use of result.model.databaseUses) {
    const name = use.database ?? use.host ?? use.envVars?.[0];
    if (!use.owner || !name || owners.has(name)) continue;
    owners.set(name, { owner: use.owner, reason: use.ownerReason });
  }
  return owners;
}

/** `axios (12), fetch (3)`: most used first. */
function summary(names: string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name, n]) => `${name} (${n})`).join(', ');
}

/** `1 service`, `4 services`. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
