// `breakwater explain <rule>`: the rule's doc in the terminal, from the docs the package ships (no network).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../engine';
import { UsageError } from '../io';

/** Where the package's docs are: beside `dist/` once built, beside `cli/` when run from source. */
const DOCS = [path.resolve(__dirname, '..', 'docs', 'rules'), path.resolve(__dirname, '..', '..', 'docs', 'rules')];

export function explainCommand(ruleId: string): number {
  const rule = allRules.find((meta) => meta.id === ruleId);
  if (!rule) {
    const ids = allRules.map((meta) => meta.id);
    // A rule id the user half remembers (`timeout`, `unguarded`) is the one that contains it.
    const near = ids.filter((id) => id.includes(ruleId.toLowerCase()) || ruleId.toLowerCase().includes(id));
    throw new UsageError(`unknown rule "${ruleId}"${near.length > 0 ? `; did you mean ${near.map((id) => `"${id}"`).join(' or ')}?` : ''} Rules: ${ids.join(', ')}`);
  }
  const file = DOCS.map((folder) => path.join(folder, `${rule.id}.md`)).find((candidate) => fs.existsSync(candidate));
  process.stdout.write(file ? fs.readFileSync(file, 'utf8') : `${rule.id}: ${rule.description}\n(The rule's doc is not installed with this copy of Breakwater.)\n`);
  return 0;
}
