// Bundles the CLI, the engine API and the language server into dist/ with esbuild. For them dependencies stay
// external: they are installed next to the package. With --extension it also bundles the VS Code extension: the
// client and a self-contained server, minified, with their sourcemaps kept out of the .vsix (.vscodeignore).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const extension = process.argv.includes('--extension');

const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  // breakwater.schema.json (config validation) and package.json (version) are inlined.
  loader: { '.json': 'json' },
  logLevel: 'warning',
};
const withPackagesExternal = { ...shared, packages: 'external' };
// The .vsix carries no node_modules: everything is bundled, but `vscode` (the host provides it) and
// dependency-cruiser (ESM, loaded on demand to describe cross-service imports; without it they are still found).
// ESM entries first: jsonc-parser's UMD build loads its parts through a `require` esbuild cannot follow.
const selfContained = { ...shared, minify: true, sourcemap: 'external', external: ['vscode', 'dependency-cruiser'], mainFields: ['module', 'main'] };

try {
  await Promise.all([
    build({ ...withPackagesExternal, entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js' }),
    build({ ...withPackagesExternal, entryPoints: ['engine/index.ts'], outfile: 'dist/engine.js' }),
    build({ ...withPackagesExternal, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
    ...(extension
      ? [
          build({ ...selfContained, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' }),
          build({ ...selfContained, entryPoints: ['server/src/server.ts'], outfile: 'dist/extension-server.js' }),
          // A small entry that turns on the compile cache, then loads the server bundle above.
          build({ ...selfContained, entryPoints: ['server/src/launcher.ts'], outfile: 'dist/extension-launcher.js', external: ['./extension-server.js'] }),
        ]
      : []),
  ]);
} catch {
  // esbuild has already printed the errors.
  process.exitCode = 1;
}
