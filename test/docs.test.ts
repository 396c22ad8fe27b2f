// Rule docs are checked against the rules' metadata and the catalog, so they cannot drift.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { allRules, analyse } from '../engine';
import { formatStylish } from '../engine/report';
import { affectsTimeouts, BUILT_IN_LIBRARIES } from '../engine/catalog';
import { ruleModules } from '../rules';

const docsDir = path.join(__dirname, '..', 'docs', 'rules');

describe('rule docs', () => {
  for (const meta of allRules) {
    describe(meta.id, () => {
      const page = path.join(docsDir, `${meta.id}.md`);
      const text = fs.existsSync(page) ? fs.readFileSync(page, 'utf8') : '';

      it('has a page whose title is the rule id and that the docs URL points at', () => {
        assert.ok(text.startsWith(`# ${meta.id}\n`), `${page} must start with "# ${meta.id}"`);
        assert.ok(meta.docsUrl.endsWith(`docs/rules/${meta.id}.md`));
        // No public page yet: the link is to this very page, in the package (it works offline).
        assert.equal(meta.docsUrl, pathToFileURL(page).href);
      });

      it('states the default severity and documents every option', () => {
        assert.ok(text.includes(`**Default severity:** ${meta.defaultSeverity}`));
        const properties = Object.keys((meta.optionsSchema.properties as Record<string, unknown>) ?? {});
        for (const option of properties) assert.ok(text.includes(`\`${option}\``), `option ${option} is not documented`);
      });

      it('has the sections every rule page has', () => {
        for (const heading of ['## Why it matters', '## What is reported', '## What is not reported', '## Options', '## How to fix']) {
          assert.ok(text.includes(heading), `missing "${heading}"`);
        }
      });
    });
  }

  it('every rule module is listed in the docs index of the README', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    for (const rule of ruleModules) assert.ok(readme.includes(`docs/rules/${rule.meta.id}.md`), `README does not link ${rule.meta.id}`);
  });

  it("the README shows what `breakwater check examples/shop` prints today", async () => {
    const projectRoot = path.join(__dirname, '..');
    const result = await analyse(path.join(projectRoot, 'examples', 'shop'));
    const printed = formatStylish(result, { cwd: projectRoot, color: false }).trim();
    const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    assert.ok(readme.includes(printed), 'README.md: update the example output (run `npx breakwater check examples/shop`)');
  });

  it('missing-timeout lists every library of the catalog', () => {
    const text = fs.readFileSync(path.join(docsDir, 'missing-timeout.md'), 'utf8');
    for (const library of BUILT_IN_LIBRARIES.filter(affectsTimeouts)) assert.ok(text.includes(`| ${library.name} |`), `${library.name} is not in the library table`);
  });
});
