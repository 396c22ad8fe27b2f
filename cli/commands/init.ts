// `breakwater init [root]`: looks at the workspace the way `check` does and writes a commented breakwater.json that
// states what it found (services and why, shared libraries, databases and their owners, the client libraries,
// breakers and tracing in use), so a team starts from the tool's reading of their repo and corrects it where it is
// wrong. It never overwrites a config without --force.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { allRules, analyse, type AnalysisResult } from '../../engine';
import { writeFileSafely } from '../../engine/io/write';
import { isDirectory, UsageError } from '../io';

export interface InitOptions {
  force?: boolean;
}

const CONFIG_NAMES = ['breakwater.json', '.breakwaterrc.json'];

/** Returns the exit code. */
export async function initCommand(rootArg: string | undefined, options: InitOptions): Promise<number> {
  const root = path.resolve(rootArg ?? '.');
  if (!isDirectory(root)) throw new UsageError(fs.existsSync(root) ? `${rootArg} is not a folder` : `no such folder: ${rootArg}`);
  const existing = CONFIG_NAMES.find((name) => fs.existsSync(path.join(root, name)));
  if (existing && !options.force) throw new UsageError(`${path.join(rootArg ?? '.', existing)} already exists: add --force to replace it`);
  // What it finds by itself, not what a config it is about to replace says.
  const result = await analyse(root, { configFile: existing ? emptyConfig() : undefined });
  const target = path.join(root, 'breakwater.json');
  writeFileSafely(root, target, configText(result, schemaReference(root)));
  if (existing && existing !== 'breakwater.json') fs.rmSync(path.join(root, existing));
  const { services, libraries } = result.model;
  process.stdout.write(
    [
      `Wrote ${path.relative(process.cwd(), target) || 'breakwater.json'}: ${count(services.length, 'service')}, ${count(libraries.length, 'shared library', 'shared libraries')}, ${count(result.findings.filter((finding) => !finding.suppressed).length, 'finding')} today.`,
      'Read it: each entry says why Breakwater took it so; correct what it got wrong.',
      'Next:',
      '  breakwater check                 see the findings',
      '  breakwater explain <rule>        what a rule looks for and how to fix it',
      '  breakwater check --format sarif  for code scanning in CI (see the README, "In CI")',
      '',
    ].join('\n'),
  );
  return 0;
}

/** Analysing with the defaults while a config exists: an empty config file, in a temporary folder outside the workspace. */
function emptyConfig(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-init-'));
  const file = path.join(folder, 'breakwater.json');
  fs.writeFileSync(file, '{}\n');
  process.once('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
  return file;
}

/** `$schema`: the schema of the Breakwater that runs, relative to the root when it is installed there. */
function schemaReference(root: string): string {
  const schema = path.resolve(__dirname, '..', 'schema', 'breakwater.schema.json');
  const relative = path.relative(root, schema).split(path.sep).join('/');
  return fs.existsSync(schema) && !relative.startsWith('..') && !path.isAbsolute(relative) ? `./${relative}` : './node_modules/breakwater/schema/breakwater.schema.json';
}

function configText(result: AnalysisResult, schema: string): string {
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

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
