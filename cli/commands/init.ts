// `breakwater init [root]`: looks at the workspace the way `check` does and writes a commented breakwater.json that
// states what it found (services and why, shared libraries, databases and their owners, the client libraries,
// breakers and tracing in use), so a team starts from the tool's reading of their repo and corrects it where it is
// wrong. It never overwrites a config without --force.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyse } from '../../engine';
import { count, initialConfigText } from '../../engine/config/init';
import { CONFIG_FILE_NAMES } from '../../engine/config/config';
import { removeFileSafely, writeFileSafely } from '../../engine/io/write';
import { isDirectory, UsageError } from '../io';

export interface InitOptions {
  force?: boolean;
}

/** Returns the exit code. */
export async function initCommand(rootArg: string | undefined, options: InitOptions): Promise<number> {
  const root = path.resolve(rootArg ?? '.');
  if (!isDirectory(root)) throw new UsageError(fs.existsSync(root) ? `${rootArg} is not a folder` : `no such folder: ${rootArg}`);
  const existing = CONFIG_FILE_NAMES.find((name) => fs.existsSync(path.join(root, name)));
  if (existing && !options.force) throw new UsageError(`${path.join(rootArg ?? '.', existing)} already exists: add --force to replace it`);
  // What it finds by itself, not what a config it is about to replace says.
  const result = await analyse(root, existing ? { config: {} } : {});
  const target = path.join(root, 'breakwater.json');
  writeFileSafely(root, target, initialConfigText(result, schemaReference(root)));
  if (existing && existing !== 'breakwater.json') removeFileSafely(root, path.join(root, existing));
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

/** `$schema`: the schema of the Breakwater that runs, relative to the root when it is installed there. */
function schemaReference(root: string): string {
  const schema = path.resolve(__dirname, '..', 'schema', 'breakwater.schema.json');
  const relative = path.relative(root, schema).split(path.sep).join('/');
  return fs.existsSync(schema) && !relative.startsWith('..') && !path.isAbsolute(relative) ? `./${relative}` : './node_modules/breakwater/schema/breakwater.schema.json';
}
