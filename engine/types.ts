// Public types shared by every stage of the pipeline, the rules, the CLI and (later) the language server.
// Everything here is plain data: it can be serialised, cached and sent over LSP.

/** A range in a workspace file. `file` is relative to the workspace root, with `/` separators; lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning';
/** As written in config, the ESLint way. */
export type SeveritySetting = 'off' | 'warn' | 'error';

/** Where a service was found, so a user can tell why Breakwater thinks a folder is a service. */
export type ServiceSource = 'config' | 'npm-workspaces' | 'pnpm-workspace' | 'nx-project' | 'folder';

/**
 * What runs a project's code, which decides the rules that apply to it: a server or worker in production (every rule),
 * a browser (none: its calls do not leave a server process), or a developer's CLI or script (only missing-timeout).
 */
export type Runtime = 'server' | 'browser' | 'tool';

export interface Service {
  /** The service's name: its package name without scope, or its folder name. */
  name: string;
  /** Folder relative to the workspace root (`.` for a single-service repo), `/`-separated. */
  root: string;
  /** The `name` in its package.json, when it has one. */
  packageName?: string;
  source: ServiceSource;
  runs: Runtime;
  /** Why it is taken for a service, a browser app or a tool: the evidence, for `breakwater projects`. */
  evidence: string;
}

/** A shared library inside the workspace (`libs/`, `packages/common`): its code is analysed, but it is no service. */
export interface WorkspaceLibrary {
  name: string;
  root: string;
  packageName?: string;
  /** `browser` for a front-end package (a Vue or React component library): nothing in it is reported. */
  runs: Exclude<Runtime, 'tool'>;
  /** Why it is taken for a library (and, where it is one, for browser code). */
  evidence: string;
  /**
   * Set when only this workspace consumes the library (a private package, one whose entry points are TypeScript
   * sources, a folder with no package.json): its entry modules (main, exports, bin, `index`), relative to the root and
   * without extension. Any other module of it that no workspace file imports is never loaded. Unset for a package
   * published for others, whose every module someone outside may import.
   */
  workspaceOnlyEntries?: string[];
}

export interface SourceFileEntry {
  /** Relative to the workspace root, `/`-separated. */
  path: string;
  /** The service whose folder holds the file; undefined for shared libraries and files outside every service. */
  service?: string;
  /** The workspace library whose folder holds the file. */
  library?: string;
  /** Set when the file does not run in a server: its project's runtime, or a `scripts/`, `examples/` or `tools/` folder. */
  runs?: Exclude<Runtime, 'server'>;
}

/**
 * A problem that did not stop the analysis but left a file, or part of it, out: a file not read (not a regular file,
 * too large, a link out of the workspace), a file that could not be analysed, a syntax error, a broken manifest.
 * Reports show it on its file; `file` is relative to the workspace root when there is one, lines and columns 1-based.
 */
export interface Notice {
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** `error` when a source file could not be analysed at all; `warning` otherwise. */
  level: 'error' | 'warning';
}

export interface RelatedLocation {
  location: SourceLocation;
  message: string;
}

export interface Suppression {
  /** `inline`: a `breakwater-disable` comment; `external`: an entry of the bulk-suppressions file (`--suppress-all`). */
  kind: 'inline' | 'external';
  /** The text after `--` in the disable comment. */
  justification?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  location: SourceLocation;
  service?: string;
  related?: RelatedLocation[];
  /**
   * Present when an inline `breakwater-disable` comment, or an entry of the bulk-suppressions file, covers the finding.
   * Suppressed findings are not counted or printed; SARIF and JSON (`suppressedMessages`) report them.
   */
  suppressed?: Suppression;
  /**
   * What identifies the finding across edits (engine/fingerprint.ts): a hash of the rule, the file, the code it is on
   * and the functions around it, with no line numbers. Set by `analyse()`.
   */
  fingerprint?: string;
}

/** A problem with the user's input (config file, arguments) rather than with their code. */
export class UserInputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'UserInputError';
  }
}
