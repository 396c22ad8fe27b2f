// Bundles the CLI and the engine API into dist/ with esbuild. Dependencies stay external: they are installed
// next to the package, and bundling ts-morph/typescript would only make the files huge.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  // breakwater.schema.json (config validation) and package.json (version) are inlined.
  loader: { '.json': 'json' },
  logLevel: 'warning',
};

try {
  await Promise.all([
    build({ ...shared, entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js' }),
    build({ ...shared, entryPoints: ['engine/index.ts'], outfile: 'dist/engine.js' }),
    build({ ...shared, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  ]);
} catch {
  // esbuild has already printed the errors.
  process.exitCode = 1;
}
