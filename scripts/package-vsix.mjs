// Builds dist/breakwater.vsix (`npm run package`). vsce refuses a package.json with a `files` list (the npm
// package's) next to a .vscodeignore (the .vsix's), so it runs on a staging copy: the extension's files, and the
// manifest without `files`. .vscodeignore still decides what goes into the .vsix.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--extension'], root);

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-vsix-'));
try {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  delete manifest.files;
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // Everything .vscodeignore can let in; it filters again in the staging folder.
  for (const entry of ['.vscodeignore', 'LICENSE', 'CHANGELOG.md', 'media', 'schema', 'docs', 'client/MARKETPLACE.md', 'dist/client.js', 'dist/extension-server.js', 'dist/extension-launcher.js']) {
    fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
  }
  const vsce = path.join(path.dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
  const out = path.join(root, 'dist', 'breakwater.vsix');
  run(process.execPath, [vsce, 'package', '--allow-missing-repository', '--no-rewrite-relative-links', '--no-dependencies', '--readme-path', 'client/MARKETPLACE.md', '--out', out], stage);
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
