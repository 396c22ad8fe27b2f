// The discover stage on real folders: each test writes a small workspace to a temp folder.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BreakwaterConfig } from '../engine/config/config';
import { listSourceFiles } from '../engine/discover/files';
import { discoverLayout as discover, type WorkspaceLayout } from '../engine/discover/workspace';

const created: string[] = [];

/** Writes `files` (path → content; objects are written as JSON) into a fresh temp folder. */
function workspace(files: Record<string, string | object>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-'));
  created.push(root);
  for (const [file, content] of Object.entries(files)) {
    const abs = path.join(root, file);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

function files(root: string, config: BreakwaterConfig = {}, options?: { includeTests?: boolean }) {
  return listSourceFiles(root, discover(root, config), config, options);
}

/**
 * The layout without each project's runtime and evidence, libraries' entry modules, and test roots and script files
 * when there are none (test/project-kinds.test.ts, the rule tables and the test of entry modules below check those).
 */
function discoverLayout(root: string, config: BreakwaterConfig): WorkspaceLayout {
  const { testRoots, scriptFiles, ...layout } = discover(root, config);
  const strip = <T extends { runs: unknown; evidence: unknown }>({ runs, evidence, ...rest }: T) => rest;
  return {
    ...layout,
    services: layout.services.map(strip),
    libraries: layout.libraries.map(({ workspaceOnlyEntries, ...library }) => strip(library)),
    ...(testRoots?.length ? { testRoots } : {}),
    ...(scriptFiles?.length ? { scriptFiles } : {}),
  } as WorkspaceLayout;
}

function paths(root: string, config: BreakwaterConfig = {}, options?: { includeTests?: boolean }): string[] {
  return files(root, config, options).map((entry) => entry.path);
}

afterEach(() => {
  for (const root of created.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

describe('discoverLayout', () => {
  it('reads npm workspaces (array form); the root that only declares them is no service', () => {
    const root = workspace({
      'package.json': { name: 'shop', private: true, workspaces: ['services/*', 'packages/*'] },
      'services/orders/package.json': { name: '@shop/orders' },
      'services/payments/package.json': { name: 'payments' },
      'packages/common/package.json': { name: '@shop/common' },
      'tools/package.json': { name: 'tools' },
    });
    const layout = discoverLayout(root, {});
    assert.equal(layout.root, path.resolve(root));
    assert.deepEqual(layout.services, [
      { name: 'orders', root: 'services/orders', packageName: '@shop/orders', source: 'npm-workspaces' },
      { name: 'payments', root: 'services/payments', packageName: 'payments', source: 'npm-workspaces' },
    ]);
    assert.deepEqual(layout.libraries, [{ name: 'common', root: 'packages/common', packageName: '@shop/common' }]);
    assert.deepEqual(layout.packages, [
      { name: 'shop', root: '.' },
      { name: '@shop/common', root: 'packages/common' },
      { name: '@shop/orders', root: 'services/orders' },
      { name: 'payments', root: 'services/payments' },
      { name: 'tools', root: 'tools' },
    ]);
  });

  it('reads yarn workspaces (object form) and keeps libs/ out of the services', () => {
    const root = workspace({
      'package.json': { private: true, workspaces: { packages: ['apps/*', 'libs/*'], nohoist: ['**/x'] } },
      'apps/api/package.json': { name: 'api' },
      'apps/worker/package.json': { name: '@acme/worker' },
      'libs/logger/package.json': { name: '@acme/logger' },
    });
    const layout = discoverLayout(root, {});
    assert.deepEqual(layout.services, [
      { name: 'api', root: 'apps/api', packageName: 'api', source: 'npm-workspaces' },
      { name: 'worker', root: 'apps/worker', packageName: '@acme/worker', source: 'npm-workspaces' },
    ]);
    assert.deepEqual(layout.libraries, [{ name: 'logger', root: 'libs/logger', packageName: '@acme/logger' }]);
  });

  it('reads pnpm-workspace.yaml and honours negated globs', () => {
    const root = workspace({
      'package.json': { name: 'mono', private: true },
      'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - '!packages/legacy'\n",
      'packages/orders/package.json': { name: '@m/orders', scripts: { start: 'node dist/main.js' } },
      'packages/legacy/package.json': { name: '@m/legacy', scripts: { start: 'node index.js' } },
      'packages/shared-utils/package.json': { name: '@m/shared-utils' },
    });
    const layout = discoverLayout(root, {});
    assert.deepEqual(layout.services, [{ name: 'orders', root: 'packages/orders', packageName: '@m/orders', source: 'pnpm-workspace' }]);
    assert.deepEqual(layout.libraries, [{ name: 'shared-utils', root: 'packages/shared-utils', packageName: '@m/shared-utils' }]);
  });

  it('tells the libraries only the workspace consumes, with their entry modules, from those published for others', () => {
    const root = workspace({
      'package.json': { name: 'root', private: true, workspaces: ['packages/*'] },
      'packages/private-lib/package.json': { name: '@acme/private-lib', private: true, types: 'dist/index.d.ts' },
      'packages/source-lib/package.json': { name: '@acme/source-lib', version: '0.0.0', main: './index.ts', exports: { './server': './server-only/index.ts' } },
      'packages/published-lib/package.json': { name: '@acme/published-lib', version: '1.4.0', main: './dist/index.js', types: './dist/index.d.ts' },
      'packages/dev-source-lib/package.json': { name: '@acme/dev-source-lib', version: '1.0.0', exports: { '.': { '@acme/source': './src/index.ts', import: './dist/index.js' } }, types: './dist/index.d.ts' },
      'packages/public-source-lib/package.json': { name: '@acme/public-source-lib', main: './index.ts', types: './index.ts', publishConfig: { main: './dist/index.js' } },
      'libs/shared/src/index.ts': 'export const x = 1;\n',
    });
    const entries = Object.fromEntries(discover(root, {}).libraries.map((library) => [library.root, library.workspaceOnlyEntries]));
    assert.deepEqual(entries['packages/private-lib'], ['packages/private-lib/index', 'packages/private-lib/src/index']);
    assert.deepEqual(entries['packages/source-lib'], ['packages/source-lib/index', 'packages/source-lib/server-only/index', 'packages/source-lib/src/index']);
    assert.equal(entries['packages/published-lib'], undefined);
    assert.equal(entries['packages/dev-source-lib'], undefined, 'a source entry only under a custom condition serves the monorepo, not Node');
    assert.equal(entries['packages/public-source-lib'], undefined, 'a publish config says it is published');
  });

  it('reads Nx project.json: applications are services, libraries are not, e2e projects are neither', () => {
    const root = workspace({
      'nx.json': { npmScope: 'org' },
      'package.json': { name: '@org/source', private: true },
      'apps/orders/project.json': { name: 'orders', projectType: 'application' },
      'apps/orders-e2e/project.json': { name: 'orders-e2e', projectType: 'application' },
      'apps/admin/project.json': { name: 'admin-portal', projectType: 'library' },
      'libs/data-access/project.json': { name: 'data-access', projectType: 'library' },
      'libs/util/project.json': { name: 'util' },
    });
    const layout = discoverLayout(root, {});
    assert.deepEqual(layout.services, [{ name: 'orders', root: 'apps/orders', source: 'nx-project' }]);
    assert.deepEqual(layout.libraries, [
      { name: 'admin-portal', root: 'apps/admin' },
      { name: 'data-access', root: 'libs/data-access' },
      { name: 'util', root: 'libs/util' },
    ]);
  });

  it('finds sibling service folders tied together by docker-compose, without a root package.json', () => {
    const root = workspace({
      'docker-compose.yml': [
        'services:',
        '  orders:',
        '    build: ./order-service',
        '  payments:',
        '    build:',
        '      context: ./payment-service',
        '  notifications:',
        '    build:',
        '      context: .',
        '      dockerfile: notifier/Dockerfile',
        '  postgres:',
        '    image: postgres:16',
      ].join('\n'),
      'order-service/package.json': { name: 'order-service' },
      'payment-service/package.json': { name: 'payments' },
      'notifier/package.json': { name: 'shared-notifier' },
      'notifier/Dockerfile': 'FROM node:20',
      'inventory-service/package.json': { name: 'inventory-service' },
      'inventory-service/Dockerfile': 'FROM node:20',
      'shared/package.json': { name: 'shared' },
      'src/reporting/package.json': { name: 'reporting', scripts: { start: 'node index.js' } },
    });
    const layout = discoverLayout(root, {});
    assert.deepEqual(layout.services, [
      { name: 'inventory-service', root: 'inventory-service', packageName: 'inventory-service', source: 'folder' },
      { name: 'shared-notifier', root: 'notifier', packageName: 'shared-notifier', source: 'folder' },
      { name: 'order-service', root: 'order-service', packageName: 'order-service', source: 'folder' },
      { name: 'payments', root: 'payment-service', packageName: 'payments', source: 'folder' },
      { name: 'reporting', root: 'src/reporting', packageName: 'reporting', source: 'folder' },
    ]);
    assert.deepEqual(layout.libraries, [{ name: 'shared', root: 'shared', packageName: 'shared' }]);
  });

  it('finds microservices/ms-* and keeps building-blocks as libraries', () => {
    const root = workspace({
      'microservices/ms-auth/package.json': { name: 'ms-auth' },
      'microservices/ms-catalog/package.json': {},
      'building-blocks/eventbus/package.json': { name: '@bb/eventbus' },
    });
    const layout = discoverLayout(root, {});
    assert.deepEqual(layout.services, [
      { name: 'ms-auth', root: 'microservices/ms-auth', packageName: 'ms-auth', source: 'folder' },
      { name: 'ms-catalog', root: 'microservices/ms-catalog', source: 'folder' },
    ]);
    assert.deepEqual(layout.libraries, [{ name: 'eventbus', root: 'building-blocks/eventbus', packageName: '@bb/eventbus' }]);
  });

  it('treats a single-package repo as one service rooted at .', () => {
    const root = workspace({ 'package.json': { name: '@acme/billing' }, 'src/index.ts': '' });
    assert.deepEqual(discoverLayout(root, {}).services, [{ name: 'billing', root: '.', packageName: '@acme/billing', source: 'folder' }]);
  });

  it('names a nameless single-package repo after its folder', () => {
    const root = workspace({ 'package.json': {} });
    assert.deepEqual(discoverLayout(root, {}).services, [{ name: path.basename(root), root: '.', source: 'folder' }]);
  });

  it('disambiguates colliding names with the folder path', () => {
    const root = workspace({
      'package.json': { workspaces: ['apps/*', 'services/*'] },
      'apps/orders/package.json': { name: '@web/orders' },
      'services/orders/package.json': { name: '@api/orders' },
      'services/billing/package.json': { name: 'billing' },
    });
    assert.deepEqual(
      discoverLayout(root, {}).services.map((service) => service.name),
      ['apps/orders', 'billing', 'services/orders'],
    );
  });

  it('lets config.services globs override detection', () => {
    const root = workspace({
      'package.json': { workspaces: ['packages/*'] },
      'packages/detected/package.json': { name: 'detected' },
      'services/a/package.json': { name: '@x/a' },
      'services/a/src/index.ts': '',
      'services/b/main.js': '',
      'services/docs/README.md': '',
    });
    assert.deepEqual(discoverLayout(root, { services: ['services/*'] }).services, [
      { name: 'a', root: 'services/a', packageName: '@x/a', source: 'config' },
      { name: 'b', root: 'services/b', source: 'config' },
    ]);
  });

  it('lets config.services as an object name the services', () => {
    const root = workspace({
      'package.json': { workspaces: ['packages/*'] },
      'packages/detected/package.json': { name: 'detected' },
      'edge/gw/package.json': { name: '@x/gateway-impl' },
    });
    assert.deepEqual(discoverLayout(root, { services: { gateway: './edge/gw/', legacy: 'old' } }).services, [
      { name: 'gateway', root: 'edge/gw', packageName: '@x/gateway-impl', source: 'config' },
      { name: 'legacy', root: 'old', source: 'config' },
    ]);
  });

  it('lets config.libraries force folders to be libraries', () => {
    const root = workspace({
      'package.json': { workspaces: ['packages/*'] },
      'packages/orders/package.json': { name: 'orders' },
      'packages/tools/package.json': { name: 'tools', scripts: { start: 'node cli.js' } },
      'vendor/kit/index.ts': '',
    });
    const layout = discoverLayout(root, { libraries: ['packages/tools', 'vendor/*'] });
    assert.deepEqual(layout.services, [{ name: 'orders', root: 'packages/orders', packageName: 'orders', source: 'npm-workspaces' }]);
    assert.deepEqual(layout.libraries, [
      { name: 'tools', root: 'packages/tools', packageName: 'tools' },
      { name: 'kit', root: 'vendor/kit' },
    ]);
  });

  it('does not throw on a broken package.json: the folder name stands in', () => {
    const root = workspace({
      'services/bad/package.json': '{ "name": "oops", ',
      'services/good/package.json': { name: 'good' },
    });
    const layout = discoverLayout(root, {});
    assert.deepEqual(layout.services, [
      { name: 'bad', root: 'services/bad', source: 'folder' },
      { name: 'good', root: 'services/good', packageName: 'good', source: 'folder' },
    ]);
    assert.deepEqual(layout.packages, [{ name: 'good', root: 'services/good' }]);
  });

  it('never descends into node_modules, dist or test fixtures', () => {
    const root = workspace({
      'svc-a/package.json': { name: 'svc-a' },
      'node_modules/dep/package.json': { name: 'dep' },
      'svc-a/dist/package.json': { name: 'svc-a-dist' },
      'svc-a/test/fixtures/app/package.json': { name: 'fixture-app' },
    });
    const layout = discoverLayout(root, {});
    assert.deepEqual(layout.services, [{ name: 'svc-a', root: 'svc-a', packageName: 'svc-a', source: 'folder' }]);
    assert.deepEqual(layout.packages, [{ name: 'svc-a', root: 'svc-a' }]);
  });

  it('does not make a tooling-only root package a service when sibling services exist', () => {
    const root = workspace({
      'package.json': { name: 'repo', devDependencies: { husky: '9' } },
      'orders-service/package.json': { name: 'orders-service' },
      'deploy/docker-compose.yml': 'services:\n  orders:\n    build: ../orders-service\n  broken:\n    build: 42\n',
    });
    const layout = discoverLayout(root, {});
    assert.deepEqual(layout.services, [{ name: 'orders-service', root: 'orders-service', packageName: 'orders-service', source: 'folder' }]);
    assert.deepEqual(layout.packages, [
      { name: 'repo', root: '.' },
      { name: 'orders-service', root: 'orders-service' },
    ]);
  });

  it('adds a compose-built package the workspace globs forgot', () => {
    const root = workspace({
      'package.json': { workspaces: ['packages/*'] },
      'packages/api/package.json': { name: 'api' },
      'gateway/package.json': { name: 'gateway' },
      'compose.yaml': 'services:\n  gw:\n    build:\n      context: ./gateway\n      dockerfile: ../docker/node.Dockerfile\n',
    });
    assert.deepEqual(discoverLayout(root, {}).services, [
      { name: 'gateway', root: 'gateway', packageName: 'gateway', source: 'folder' },
      { name: 'api', root: 'packages/api', packageName: 'api', source: 'npm-workspaces' },
    ]);
  });

  it('does not throw on broken YAML or JSON declarations', () => {
    const root = workspace({
      'package.json': '{ "workspaces": [',
      'pnpm-workspace.yaml': 'packages: [unclosed',
      'docker-compose.yml': 'services:\n  a: [\n',
      'nx.json': '{',
      'svc/package.json': { name: 'svc' },
    });
    assert.deepEqual(discoverLayout(root, {}).services, [{ name: 'svc', root: 'svc', packageName: 'svc', source: 'folder' }]);
  });

  it('keeps a broken project.json as an Nx project of unknown type', () => {
    const root = workspace({ 'apps/a/project.json': '{ nope', 'libs/b/project.json': '{' });
    const layout = discoverLayout(root, {});
    assert.deepEqual(layout.services, [{ name: 'a', root: 'apps/a', source: 'nx-project' }]);
    assert.deepEqual(layout.libraries, [{ name: 'b', root: 'libs/b' }]);
  });

  it('stops looking six folders deep', () => {
    const root = workspace({
      'package.json': { workspaces: ['packages/**'] },
      'packages/a/b/c/d/e/package.json': { name: 'six' },
      'packages/a/b/c/d/e/f/package.json': { name: 'seven' },
    });
    assert.deepEqual(discoverLayout(root, {}).packages.map((pkg) => pkg.name), ['six']);
  });

  it('skips unreadable folders', function () {
    if (process.getuid?.() === 0) this.skip(); // root reads everything
    const root = workspace({ 'a-service/package.json': { name: 'a' }, 'locked/x-service/package.json': { name: 'x' } });
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    try {
      assert.deepEqual(discoverLayout(root, {}).services.map((service) => service.root), ['a-service']);
      assert.deepEqual(paths(root), []);
    } finally {
      fs.chmodSync(path.join(root, 'locked'), 0o755);
    }
  });

  it('finds nothing in an empty folder', () => {
    const root = workspace({});
    assert.deepEqual(discoverLayout(root, {}), { root: path.resolve(root), services: [], libraries: [], packages: [] });
    assert.deepEqual(paths(root), []);
  });
});

describe('listSourceFiles', () => {
  it('assigns each file to the innermost service or library; root files belong to none', () => {
    const root = workspace({
      'package.json': { workspaces: ['services/*', 'services/orders/plugins/*', 'packages/*'] },
      'services/orders/package.json': { name: 'orders' },
      'services/orders/src/main.ts': '',
      'services/orders/plugins/audit/package.json': { name: 'audit' },
      'services/orders/plugins/audit/index.ts': '',
      'packages/common/package.json': { name: '@x/common' },
      'packages/common/http.ts': '',
      'scripts/seed.ts': '',
      'jest.config.js': '',
    });
    assert.deepEqual(files(root), [
      { path: 'jest.config.js' },
      { path: 'packages/common/http.ts', library: 'common' },
      { path: 'scripts/seed.ts', runs: 'tool' },
      { path: 'services/orders/plugins/audit/index.ts', service: 'audit' },
      { path: 'services/orders/src/main.ts', service: 'orders' },
    ]);
  });

  it('gives every file of a single-service repo to that service', () => {
    const root = workspace({ 'package.json': { name: 'billing' }, 'src/index.ts': '', 'src/db/pool.mts': '', 'index.cjs': '' });
    assert.deepEqual(files(root), [
      { path: 'index.cjs', service: 'billing' },
      { path: 'src/db/pool.mts', service: 'billing' },
      { path: 'src/index.ts', service: 'billing' },
    ]);
  });

  it('skips node_modules, build output, dot folders, declarations, generated and minified files', () => {
    const root = workspace({
      'package.json': { name: 'svc' },
      'src/app.ts': '',
      'src/view.tsx': '',
      'src/types.d.ts': '',
      'src/api.generated.ts': '',
      'src/schema.gen.ts': '',
      'src/orders_pb.js': '',
      'src/orders_grpc_pb.js': '',
      'src/orders_pb.d.ts': '',
      'src/generated/client.ts': '',
      'src/__generated__/graphql.ts': '',
      'src/vendor.min.js': '',
      'src/notes.md': '',
      'node_modules/axios/index.js': '',
      'dist/app.js': '',
      'build/app.js': '',
      'out/app.js': '',
      'coverage/lcov.js': '',
      '.next/server.js': '',
      '.cache/x.js': '',
      '.yarn/releases/yarn.cjs': '',
    });
    assert.deepEqual(paths(root), ['src/app.ts', 'src/view.tsx']);
  });

  it('respects the root .gitignore and nested ones, each from its own folder', () => {
    const root = workspace({
      '.gitignore': '*.local.ts\nsecret/\n',
      'package.json': { workspaces: ['services/*'] },
      'services/a/package.json': { name: 'a' },
      'services/a/.gitignore': 'tmp-client/\n/top.ts\n',
      'services/a/tmp-client/x.ts': '',
      'services/a/top.ts': '',
      'services/a/src/top.ts': '',
      'services/a/dev.local.ts': '',
      'services/b/package.json': { name: 'b' },
      'services/b/.gitignore': '!keep.local.ts\n',
      'services/b/keep.local.ts': '',
      'services/b/other.local.ts': '',
      'services/b/tmp-client/x.ts': '',
      'services/b/top.ts': '',
      'secret/key.ts': '',
    });
    assert.deepEqual(paths(root), [
      'services/a/src/top.ts',
      'services/b/keep.local.ts',
      'services/b/tmp-client/x.ts',
      'services/b/top.ts',
    ]);
  });

  const testFiles = {
    'package.json': { name: 'svc' },
    'src/app.ts': '',
    'src/app.test.ts': '',
    'src/app.spec.tsx': '',
    'test/app.e2e-spec.ts': '',
    'test/helpers.ts': '',
    'src/__tests__/x.ts': '',
    'src/__mocks__/db.ts': '',
    'e2e/flow.ts': '',
    'tests/load.js': '',
  };

  it('skips test files by default and keeps them with includeTests', () => {
    const root = workspace(testFiles);
    assert.deepEqual(paths(root), ['src/app.ts']);
    assert.deepEqual(paths(root, {}, { includeTests: true }), [
      'e2e/flow.ts',
      'src/__mocks__/db.ts',
      'src/__tests__/x.ts',
      'src/app.spec.tsx',
      'src/app.test.ts',
      'src/app.ts',
      'test/app.e2e-spec.ts',
      'test/helpers.ts',
      'tests/load.js',
    ]);
  });

  it('re-includes skipped test and generated files named by config.include, never node_modules', () => {
    const root = workspace({
      ...testFiles,
      'src/api.generated.ts': '',
      'src/generated/client.ts': '',
      'node_modules/dep/index.ts': '',
      'dist/app.js': '',
      'tools/build/make.ts': '',
    });
    const include = ['**/__mocks__/**', 'src/*.test.ts', 'src/**/*.generated.ts', 'node_modules/**', '**/*.js', 'tools/build/**'];
    assert.deepEqual(paths(root, { include }), [
      'src/__mocks__/db.ts',
      'src/api.generated.ts',
      'src/app.test.ts',
      'src/app.ts',
      'tests/load.js',
      'tools/build/make.ts',
    ]);
  });

  it('re-includes everything under a folder that config.include names', () => {
    const root = workspace({ 'package.json': { name: 'svc' }, 'src/generated/client.ts': '', 'src/generated/deep/x.gen.ts': '', 'src/a.test.ts': '' });
    assert.deepEqual(paths(root, { include: ['src/generated'] }), ['src/generated/client.ts', 'src/generated/deep/x.gen.ts']);
  });

  it('excludes config.ignore globs, whether they name a folder or its contents', () => {
    const root = workspace({
      'package.json': { name: 'svc' },
      'src/app.ts': '',
      'src/button.stories.tsx': '',
      'scripts/seed.ts': '',
      'tools/gen/run.ts': '',
    });
    assert.deepEqual(paths(root, { ignore: ['scripts/**', 'tools', '**/*.stories.tsx'] }), ['src/app.ts']);
    assert.deepEqual(paths(root, { ignore: ['scripts'] }), ['src/app.ts', 'src/button.stories.tsx', 'tools/gen/run.ts']);
  });

  it('config.ignore wins over config.include', () => {
    const root = workspace({ 'package.json': { name: 'svc' }, 'src/a.test.ts': '', 'src/b.ts': '' });
    assert.deepEqual(paths(root, { include: ['src/*.test.ts'], ignore: ['src/a.test.ts'] }), ['src/b.ts']);
  });

  it('analyses a module once when its compiled .js is committed beside the .ts', () => {
    const root = workspace({
      'package.json': { name: 'svc' },
      'src/bank.ts': '',
      'src/bank.js': '',
      'src/bank.js.map': '',
      'src/bank.d.ts': '',
      'src/legacy.js': '',
      'src/legacy.d.ts': '',
      'src/view.tsx': '',
      'src/view.jsx': '',
      'src/esm.mts': '',
      'src/esm.mjs': '',
      'src/other/bank.js': '',
    });
    assert.deepEqual(paths(root), ['src/bank.ts', 'src/esm.mts', 'src/legacy.js', 'src/other/bank.js', 'src/view.tsx']);
  });

  it('does not follow symlinked folders', () => {
    const root = workspace({ 'package.json': { name: 'svc' }, 'src/a.ts': '' });
    fs.symlinkSync('..', path.join(root, 'src', 'loop'), 'dir');
    fs.symlinkSync(path.join(root, 'src', 'a.ts'), path.join(root, 'src', 'link.ts'));
    assert.deepEqual(paths(root), ['src/a.ts']);
  });

  it('names a source that is a FIFO or links outside, and says nothing of links inside (test/robustness)', function () {
    const root = workspace({ 'package.json': { name: 'svc' }, 'src/a.ts': '' });
    const outside = workspace({ 'secret.ts': '' });
    fs.symlinkSync(path.join(root, 'src', 'a.ts'), path.join(root, 'src', 'inside.ts'));
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'src', 'secret.ts'));
    fs.symlinkSync('nowhere.ts', path.join(root, 'src', 'dangling.ts'));
    const fifo = process.platform !== 'win32' && spawnSync('mkfifo', [path.join(root, 'src', 'pipe.ts')]).status === 0;
    const warnings: string[] = [];
    const config: BreakwaterConfig = {};
    const listed = listSourceFiles(root, discover(root, config), config, { warn: (message, where) => warnings.push(`${where?.file}: ${message}`) });
    assert.deepEqual(listed.map((entry) => entry.path), ['src/a.ts']);
    assert.deepEqual(warnings.sort(), [
      ...(fifo ? ['src/pipe.ts: src/pipe.ts is not a regular file (a FIFO); not read'] : []),
      `src/secret.ts: src/secret.ts links outside the workspace (to ${fs.realpathSync(path.join(outside, 'secret.ts'))}); not read`,
    ]);
  });

  it('lists files of a config object service folder under that name', () => {
    const root = workspace({ 'edge/gw/main.ts': '', 'edge/other.ts': '' });
    assert.deepEqual(files(root, { services: { gateway: 'edge/gw' } }), [
      { path: 'edge/gw/main.ts', service: 'gateway' },
      { path: 'edge/other.ts' },
    ]);
  });
});
