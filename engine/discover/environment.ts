// What the repository says about how services run: environment variables from docker-compose files, Kubernetes
// manifests and `.env` files, and which compose hosts are which workspace service. Data files only; nothing is run.
import * as path from 'node:path';
import { displayPath, listWorkspaceFolder, readWorkspaceFile, type Warn } from '../io/read';
import { type SyntaxProblem } from '../io/syntax';
import { parseYamlData, parseYamlDocuments, yamlProblemMessage, yamlProblemPlace, type YamlProblem } from '../io/yaml';
import type { WorkspaceLayout } from './workspace';

export interface DeployEnvironment {
  /** Environment variables each workspace service is given (compose `environment`, its `.env` files), by service. */
  env: Record<string, Record<string, string>>;
  /** Compose service names (hosts on the compose network) that run a workspace service: host → service. */
  hosts: Record<string, string>;
}

const COMPOSE_FILE = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i;
/** Folders that hold Kubernetes manifests (plain YAML; Helm templates are not YAML until rendered). */
const MANIFEST_FOLDERS = new Set(['k8s', 'kubernetes', 'kube', 'deploy', 'deployment', 'deployments', 'manifests', 'infra']);
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);
const ENV_FILE = /^\.env(\.[\w.-]+)?$/;
const MAX_DEPTH = 2;

/** `warn` hears of files that are there but were not read (a FIFO, a link out of the workspace, too large). */
export function readDeployEnvironment(root: string, layout: WorkspaceLayout, warn?: Warn): DeployEnvironment {
  const environment: DeployEnvironment = { env: {}, hosts: {} };
  // Files are read through engine/io/read.ts: regular files inside the workspace, within the size limit.
  const readText = (file: string) => readWorkspaceFile(file, { root, warn }) ?? '';
  // A file that does not parse is not used, and named in a warning at the place of the mistake.
  const unparsed = (file: string, problem: SyntaxProblem) => {
    const shown = displayPath(file, root);
    warn?.(`${shown} line ${problem.line} is not NAME=value; the line is not used`, { file: shown, line: problem.line, column: problem.column });
  };
  const unparsedYaml = (file: string, problem: YamlProblem, partly: boolean) => {
    const shown = displayPath(file, root);
    warn?.(yamlProblemMessage(shown, problem, partly), { file: shown, ...yamlProblemPlace(problem) });
  };
  const serviceByFolder = new Map(layout.services.map((service) => [path.resolve(root, service.root), service.name]));
  for (const file of findComposeFiles(root)) readCompose(readText(file), file, serviceByFolder, environment, (problem) => unparsedYaml(file, problem, false));
  const names = layout.services.map((service) => service.name);
  for (const file of findManifests(root)) readManifests(readText(file), names, environment, (problem) => unparsedYaml(file, problem, true));
  for (const service of layout.services) {
    const folder = path.resolve(root, service.root);
    for (const name of safeReaddir(folder, root).filter((entry) => ENV_FILE.test(entry) && !entry.endsWith('.example'))) {
      const file = path.join(folder, name);
      Object.assign((environment.env[service.name] ??= {}), parseEnvFile(readText(file), (problem) => unparsed(file, problem)));
    }
  }
  return environment;
}

function findComposeFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of listWorkspaceFolder(dir)) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (COMPOSE_FILE.test(entry.name)) found.push(full);
      else if (depth < MAX_DEPTH && entry.isDirectory()) walk(full, depth + 1); // a linked folder is not entered
    }
  };
  walk(root, 0);
  return found.sort();
}

function readCompose(text: string, file: string, serviceByFolder: Map<string, string>, environment: DeployEnvironment, broken: (problem: YamlProblem) => void): void {
  const parsed = parseYamlData(text);
  if ('problem' in parsed) {
    broken(parsed.problem);
    return;
  }
  const doc = parsed.value;
  const services = (doc as { services?: Record<string, unknown> } | undefined)?.services;
  if (!services || typeof services !== 'object') return;
  for (const [name, definition] of Object.entries(services)) {
    if (!definition || typeof definition !== 'object') continue;
    const build = (definition as { build?: unknown }).build;
    const context = typeof build === 'string' ? build : typeof (build as { context?: unknown })?.context === 'string' ? (build as { context: string }).context : undefined;
    const service = context ? serviceByFolder.get(path.resolve(path.dirname(file), context)) : undefined;
    if (!service) continue;
    environment.hosts[name] = service;
    const hostname = (definition as { hostname?: unknown }).hostname;
    if (typeof hostname === 'string') environment.hosts[hostname] = service;
    Object.assign((environment.env[service] ??= {}), composeEnvironment((definition as { environment?: unknown }).environment));
  }
}

function findManifests(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number, inManifests: boolean) => {
    for (const entry of listWorkspaceFolder(dir)) {
      const name = entry.name;
      if (name === 'node_modules' || name.startsWith('.') || name === 'templates') continue;
      const full = path.join(dir, name);
      if (inManifests && /\.ya?ml$/i.test(name)) found.push(full);
      // A linked folder is not entered: `k8s -> /etc` must not list /etc.
      else if (depth < 4 && entry.isDirectory()) walk(full, depth + 1, inManifests || MANIFEST_FOLDERS.has(name.toLowerCase()));
    }
  };
  walk(root, 0, false);
  return found.sort();
}

/**
 * Kubernetes workloads: each container's `env` (`name`/`value` pairs) belongs to the workspace service that the
 * container, the workload or the image is named after (`ghcr.io/shop/orders:1.4` → orders).
 */
function readManifests(text: string, serviceNames: string[], environment: DeployEnvironment, broken: (problem: YamlProblem) => void): void {
  // What parses is used, and the first syntax error is told; an alias bomb leaves the file unread.
  const { documents, problem } = parseYamlDocuments(text);
  if (problem) broken(problem);
  for (const document of documents) {
    const kind = (document as { kind?: unknown } | null)?.kind;
    if (typeof kind !== 'string' || !WORKLOADS.has(kind)) continue;
    const workload = document as { metadata?: { name?: unknown }; spec?: Record<string, unknown> };
    const podSpec = kind === 'Pod' ? workload.spec : kind === 'CronJob' ? dig(workload.spec, ['jobTemplate', 'spec', 'template', 'spec']) : dig(workload.spec, ['template', 'spec']);
    const containers = (podSpec as { containers?: unknown } | undefined)?.containers;
    if (!Array.isArray(containers)) continue;
    for (const container of containers) {
      const image = typeof container?.image === 'string' ? container.image.split('/').pop()!.split(/[:@]/)[0] : undefined;
      const candidates = [container?.name, workload.metadata?.name, image].filter((name): name is string => typeof name === 'string');
      const service = candidates.map((name) => serviceNames.find((candidate) => candidate === name || name.startsWith(`${candidate}-`))).find(Boolean);
      if (!service || !Array.isArray(container?.env)) continue;
      const env = (environment.env[service] ??= {});
      for (const variable of container.env) if (typeof variable?.name === 'string' && typeof variable?.value === 'string') env[variable.name] = variable.value;
    }
  }
}

function dig(value: unknown, keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

/** `environment:` as a map or as a list of `KEY=value`. */
function composeEnvironment(value: unknown): Record<string, string> {
  const env: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item !== 'string') continue;
      const at = item.indexOf('=');
      if (at > 0) env[item.slice(0, at)] = item.slice(at + 1);
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) if (item !== null && item !== undefined) env[key] = String(item);
  }
  return env;
}

/** `broken` hears of the first line that is neither NAME=value, a comment nor blank (a quoted value may span lines). */
export function parseEnvFile(text: string, broken?: (problem: SyntaxProblem) => void): Record<string, string> {
  const env: Record<string, string> = {};
  let openQuote: string | undefined;
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (openQuote) {
      // Inside a multi-line value ("-----BEGIN KEY-----…"): its lines are not mistakes.
      if (line.includes(openQuote)) openQuote = undefined;
    } else if (/^\s*(?:export\s+)?[^\s=#]+\s*=/.test(line)) {
      const value = /=\s*(.*?)\s*$/.exec(line)?.[1] ?? '';
      const quote = /^(['"`])/.exec(value)?.[1];
      if (quote && (value.length === 1 || !value.endsWith(quote))) openQuote = quote;
    } else if (line.trim() !== '' && !line.trim().startsWith('#') && broken) {
      broken({ words: 'not NAME=value', line: index + 1, column: line.length - line.trimStart().length + 1 });
      broken = undefined; // one warning per file
    }
    if (!match) continue;
    env[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

function safeReaddir(dir: string, root: string): string[] {
  return listWorkspaceFolder(dir, root).map((entry) => entry.name);
}
