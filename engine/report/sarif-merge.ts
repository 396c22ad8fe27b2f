// Merges SARIF 2.1.0 logs, such as those of per-project `breakwater check --service` runs, into one log with one run
// per tool. GitHub code scanning wants one run per tool and category in an upload, and one run is what a
// whole-workspace check writes: merging the logs of projects that split the workspace gives back that log.
//
// Rules and artifacts are deduplicated and the indexes that point at them are renumbered; identical results and
// invocations (the same run merged twice) are kept once. Results are sorted the way the engine sorts findings.

type Json = Record<string, unknown>;

export interface SarifInput {
  /** Where the log came from, for error messages. */
  name: string;
  log: unknown;
}

export interface SarifMergeOutcome {
  log: Json;
  /** Merged, but worth saying: e.g. logs written in different checkouts. */
  warnings: string[];
}

/** An input that is not SARIF 2.1.0, or logs that cannot be merged honestly. */
export class SarifMergeError extends Error {}

/** Everything collected for one tool (one output run). */
interface ToolRun {
  toolName: string;
  /** The first run of this tool, with the input it came from: its other fields (columnKind, driver metadata) are kept. */
  first: Json;
  firstInput: string;
  rules: Json[];
  ruleIndexById: Map<string, number>;
  artifacts: Json[];
  artifactIndexByLocation: Map<string, number>;
  invocations: Json[];
  /** An invocation without its notifications → the index of the merged one, which gathers the notifications of all. */
  seenInvocations: Map<string, number>;
  results: Json[];
  seenResults: Set<string>;
  /** Base URI ids (`%SRCROOT%`) → their first definition. */
  baseIds: Map<string, Json>;
  /** The ids that two logs define differently: left out of the merged run. */
  conflictingBaseIds: Set<string>;
  sawArtifacts: boolean;
  sawInvocations: boolean;
}

export function mergeSarif(inputs: readonly SarifInput[]): SarifMergeOutcome {
  if (inputs.length === 0) throw new SarifMergeError('no SARIF logs to merge');
  const tools = new Map<string, ToolRun>();
  let header: Json | undefined;

  for (const { name, log } of inputs) {
    const runs = checkLog(name, log);
    header ??= log as Json;
    for (const [runNumber, run] of runs.entries()) {
      const where = runs.length > 1 ? `${name} (run ${runNumber + 1})` : name;
      const driver = checkRun(where, run);
      const toolName = driver.name as string;
      let tool = tools.get(toolName);
      if (!tool) {
        tool = newToolRun(toolName, run, where);
        tools.set(toolName, tool);
      } else {
        checkSameTool(tool, driver, where);
      }
      addRun(tool, run, driver, where);
    }
  }

  const warnings: string[] = [];
  for (const tool of tools.values()) {
    for (const id of tool.conflictingBaseIds) {
      warnings.push(`the logs define ${id} differently (they were written in different checkouts); the merged ${tool.toolName} run leaves it undefined, and its paths stay relative to it`);
    }
  }
  const { $schema, version } = header as Json;
  return { log: { ...($schema === undefined ? {} : { $schema }), version, runs: [...tools.values()].map(toRun) }, warnings };
}

/** The JSON text the CLI writes: the same layout as `formatSarif`, so a merge of one log is byte-identical to it. */
export function stringifySarif(log: Json): string {
  return `${JSON.stringify(log, null, 2)}\n`;
}

// ---------------------------------------------------------------- checking the inputs

function checkLog(name: string, log: unknown): Json[] {
  if (!isObject(log)) throw new SarifMergeError(`${name}: not a SARIF log (expected a JSON object)`);
  if (log.version !== '2.1.0') throw new SarifMergeError(`${name}: not a SARIF 2.1.0 log (version: ${JSON.stringify(log.version)})`);
  if (!Array.isArray(log.runs) || !log.runs.every(isObject)) throw new SarifMergeError(`${name}: not a SARIF log ("runs" must be an array of objects)`);
  return log.runs;
}

function checkRun(where: string, run: Json): Json {
  const driver = isObject(run.tool) ? run.tool.driver : undefined;
  if (!isObject(driver) || typeof driver.name !== 'string') throw new SarifMergeError(`${where}: a run has no tool.driver.name`);
  for (const field of ['results', 'artifacts', 'invocations'] as const) {
    if (run[field] !== undefined && !(Array.isArray(run[field]) && run[field].every(isObject))) {
      throw new SarifMergeError(`${where}: "${field}" must be an array of objects`);
    }
  }
  if (driver.rules !== undefined && !(Array.isArray(driver.rules) && driver.rules.every(isObject))) {
    throw new SarifMergeError(`${where}: "tool.driver.rules" must be an array of objects`);
  }
  return driver;
}

/** Rule indexes, fingerprints and messages are only comparable between runs of one version of a tool. */
function checkSameTool(tool: ToolRun, driver: Json, where: string): void {
  const firstDriver = (tool.first.tool as Json).driver as Json;
  for (const field of ['version', 'semanticVersion']) {
    if (firstDriver[field] !== driver[field]) {
      throw new SarifMergeError(
        `${where}: ${tool.toolName} ${String(driver[field])} cannot be merged with ${tool.toolName} ${String(firstDriver[field])} from ${tool.firstInput}; run every project with the same version`,
      );
    }
  }
}

// ---------------------------------------------------------------- merging

function newToolRun(toolName: string, first: Json, firstInput: string): ToolRun {
  return {
    toolName,
    first,
    firstInput,
    rules: [],
    ruleIndexById: new Map(),
    artifacts: [],
    artifactIndexByLocation: new Map(),
    invocations: [],
    seenInvocations: new Map(),
    results: [],
    seenResults: new Set(),
    baseIds: new Map(),
    conflictingBaseIds: new Set(),
    sawArtifacts: false,
    sawInvocations: false,
  };
}

function addRun(tool: ToolRun, input: Json, driver: Json, where: string): void {
  // Positions counted in another unit would be misread.
  if ((input.columnKind ?? 'unicodeCodePoints') !== (tool.first.columnKind ?? 'unicodeCodePoints')) {
    throw new SarifMergeError(`${where}: counts columns in ${String(input.columnKind)}, but ${tool.firstInput} in ${String(tool.first.columnKind)}`);
  }

  // This run's rule index → the merged one. Rules are told apart by id; the first description of an id wins.
  const ruleIndexes = ((driver.rules as Json[] | undefined) ?? []).map((rule) => {
    const id = String(rule.id);
    let index = tool.ruleIndexById.get(id);
    if (index === undefined) {
      index = tool.rules.push(rule) - 1;
      tool.ruleIndexById.set(id, index);
    }
    return index;
  });
  const newRuleIndex = (index: unknown, context: string): number => {
    if (index === -1) return -1; // SARIF's "no rule descriptor"
    const mapped = typeof index === 'number' ? ruleIndexes[index] : undefined;
    if (mapped === undefined) throw new SarifMergeError(`${where}: ${context} points at rule ${String(index)}, which the run does not describe`);
    return mapped;
  };

  // Artifacts are the same file when their location (uri and base id) is the same.
  const added: number[] = [];
  const artifactIndexes = ((input.artifacts as Json[] | undefined) ?? []).map((artifact) => {
    tool.sawArtifacts = true;
    const key = JSON.stringify(isObject(artifact.location) ? [artifact.location.uri, artifact.location.uriBaseId] : artifact);
    let index = tool.artifactIndexByLocation.get(key);
    if (index === undefined) {
      index = tool.artifacts.push(artifact) - 1;
      tool.artifactIndexByLocation.set(key, index);
      added.push(index);
    }
    return index;
  });
  // An artifact inside another (a file in an archive) names its parent by index too.
  for (const index of added) {
    const artifact = tool.artifacts[index];
    if (typeof artifact.parentIndex === 'number') tool.artifacts[index] = { ...artifact, parentIndex: artifactIndexes[artifact.parentIndex] ?? artifact.parentIndex };
  }
  const renumberArtifacts = <T>(value: T): T => withArtifactIndexes(value, artifactIndexes, where);

  for (const [id, definition] of Object.entries(isObject(input.originalUriBaseIds) ? input.originalUriBaseIds : {})) {
    if (!tool.baseIds.has(id)) tool.baseIds.set(id, definition as Json);
    else if (JSON.stringify(tool.baseIds.get(id)) !== JSON.stringify(definition)) tool.conflictingBaseIds.add(id);
  }

  for (const invocation of (input.invocations as Json[] | undefined) ?? []) {
    tool.sawInvocations = true;
    const merged = renumberArtifacts(withOverrideIndexes(invocation, (index) => newRuleIndex(index, 'a rule configuration override')));
    // Per-project runs report the notices of their own files: one invocation of the whole workspace gathers them.
    const { toolExecutionNotifications, executionSuccessful, ...rest } = merged;
    const key = JSON.stringify(rest);
    const index = tool.seenInvocations.get(key);
    if (index === undefined) {
      tool.seenInvocations.set(key, tool.invocations.push(merged) - 1);
      continue;
    }
    const seen = tool.invocations[index];
    const notifications = [...((seen.toolExecutionNotifications as Json[] | undefined) ?? []), ...((toolExecutionNotifications as Json[] | undefined) ?? [])];
    // Ordered as one run orders them (engine/report/sarif.ts), so the merge of per-project logs is the whole log.
    const unique = sortNotifications([...new Map(notifications.map((notification) => [JSON.stringify(notification), notification])).values()]);
    tool.invocations[index] = {
      executionSuccessful: seen.executionSuccessful !== false && executionSuccessful !== false,
      ...(unique.length > 0 ? { toolExecutionNotifications: unique } : {}),
      ...rest,
    };
  }

  for (const result of (input.results as Json[] | undefined) ?? []) {
    let merged: Json = { ...result };
    if (merged.ruleIndex !== undefined) merged.ruleIndex = newRuleIndex(merged.ruleIndex, `result ruleIndex`);
    // A result may name its rule by reference instead; only references into the driver are renumbered.
    if (isObject(merged.rule) && merged.rule.index !== undefined && merged.rule.toolComponent === undefined) {
      merged.rule = { ...merged.rule, index: newRuleIndex(merged.rule.index, 'a result rule reference') };
    }
    merged = renumberArtifacts(merged);
    const key = JSON.stringify(merged);
    if (tool.seenResults.has(key)) continue;
    tool.seenResults.add(key);
    tool.results.push(merged);
  }
}

function toRun(tool: ToolRun): Json {
  const first = tool.first;
  const firstTool = first.tool as Json;
  const driver: Json = { ...(firstTool.driver as Json) };
  if (driver.rules !== undefined || tool.rules.length > 0) driver.rules = tool.rules;

  // Spreading the first run keeps its key order, so merging one log reproduces it byte for byte.
  const merged: Json = { ...first, tool: { ...firstTool, driver } };
  const baseIds = [...tool.baseIds].filter(([id]) => !tool.conflictingBaseIds.has(id));
  if (first.originalUriBaseIds !== undefined || tool.baseIds.size > 0) {
    if (baseIds.length > 0) merged.originalUriBaseIds = Object.fromEntries(baseIds);
    else delete merged.originalUriBaseIds;
  }
  if (tool.sawInvocations) merged.invocations = tool.invocations;
  if (tool.sawArtifacts) merged.artifacts = tool.artifacts;
  merged.results = sortResults(tool.results, tool.artifacts);
  return merged;
}

/**
 * The engine's order for findings: file, line, column, rule id. The sort is stable, so results at one position keep
 * their order in the input; a file belongs to one project, so those all come from one log in the engine's order.
 */
function sortResults(results: Json[], artifacts: Json[]): Json[] {
  const keyed = results.map((result) => ({ result, key: sortKey(result, artifacts) }));
  keyed.sort((a, b) => compareText(a.key.file, b.key.file) || a.key.line - b.key.line || a.key.column - b.key.column || compareText(a.key.ruleId, b.key.ruleId));
  return keyed.map(({ result }) => result);
}

function sortKey(result: Json, artifacts: Json[]): { file: string; line: number; column: number; ruleId: string } {
  const physical = Array.isArray(result.locations) && isObject(result.locations[0]) ? result.locations[0].physicalLocation : undefined;
  const artifactLocation = isObject(physical) && isObject(physical.artifactLocation) ? physical.artifactLocation : {};
  const region = isObject(physical) && isObject(physical.region) ? physical.region : {};
  const artifact = typeof artifactLocation.index === 'number' ? artifacts[artifactLocation.index] : undefined;
  const uri = artifactLocation.uri ?? (isObject(artifact?.location) ? artifact.location.uri : undefined);
  return {
    // Decoded, so that `a%20b.ts` sorts where the engine sorts `a b.ts`.
    file: typeof uri === 'string' ? decodeUri(uri) : '',
    line: typeof region.startLine === 'number' ? region.startLine : 0,
    column: typeof region.startColumn === 'number' ? region.startColumn : 0,
    ruleId: typeof result.ruleId === 'string' ? result.ruleId : '',
  };
}

/** By file, line, column and message; notifications about no file first. */
export function sortNotifications<T>(notifications: T[]): T[] {
  const place = (notification: T) => {
    const location = (notification as { locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number; startColumn?: number } } }> }).locations?.[0]?.physicalLocation;
    return { file: location?.artifactLocation?.uri ?? '', line: location?.region?.startLine ?? 0, column: location?.region?.startColumn ?? 0 };
  };
  const text = (notification: T) => (notification as { message?: { text?: string } }).message?.text ?? '';
  return notifications.sort((a, b) => {
    const pa = place(a);
    const pb = place(b);
    return (pa.file < pb.file ? -1 : pa.file > pb.file ? 1 : 0) || pa.line - pb.line || pa.column - pb.column || (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0);
  });
}

function withOverrideIndexes(invocation: Json, newRuleIndex: (index: unknown) => number): Json {
  if (!Array.isArray(invocation.ruleConfigurationOverrides)) return invocation;
  return {
    ...invocation,
    ruleConfigurationOverrides: invocation.ruleConfigurationOverrides.map((override: unknown) => {
      if (!isObject(override) || !isObject(override.descriptor) || override.descriptor.index === undefined || override.descriptor.toolComponent !== undefined) return override;
      return { ...override, descriptor: { ...override.descriptor, index: newRuleIndex(override.descriptor.index) } };
    }),
  };
}

/** Copies `value`, renumbering every `artifactLocation.index` in it (locations, related locations, code flows, fixes). */
function withArtifactIndexes<T>(value: T, artifactIndexes: number[], where: string): T {
  if (Array.isArray(value)) return value.map((item) => withArtifactIndexes(item, artifactIndexes, where)) as T;
  if (!isObject(value)) return value;
  const copy: Json = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'artifactLocation' && isObject(child) && child.index !== undefined) {
      const index = typeof child.index === 'number' ? artifactIndexes[child.index] : undefined;
      if (index === undefined) throw new SarifMergeError(`${where}: an artifact location points at artifact ${String(child.index)}, which the run does not list`);
      copy[key] = { ...child, index };
    } else {
      copy[key] = withArtifactIndexes(child, artifactIndexes, where);
    }
  }
  return copy as T;
}

function decodeUri(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

/** Code-unit order, as the engine compares paths (not locale order, which varies by machine). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
