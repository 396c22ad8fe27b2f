// `check --suppress-all`, `--suppress-rule`, `--suppressions-location`, `--prune-suppressions`: the bulk-suppressions
// file, read and written here (engine/bulk-suppressions.ts says what is in it and how it matches).
import * as path from 'node:path';
import {
  applyBulkSuppressions,
  emptySuppressions,
  parseSuppressions,
  pruneSuppressions,
  serialiseSuppressions,
  suppressFindings,
  SUPPRESSIONS_FILE_NAME,
  type BulkSuppressions,
  type StaleSuppression,
} from '../engine/bulk-suppressions';
import { isInside, tryReadWorkspaceFile } from '../engine/io/read';
import { writeFileSafely } from '../engine/io/write';
import type { Finding } from '../engine';
import { UsageError } from './io';

export interface SuppressionOptions {
  suppressAll?: boolean;
  suppressRule?: string[];
  suppressionsLocation?: string;
  pruneSuppressions?: boolean;
  failOnUnprunedSuppressions?: boolean;
}

export interface BulkOutcome {
  findings: Finding[];
  /** Bulk-suppressed findings in this run's report. */
  suppressed: number;
  stale: StaleSuppression[];
  /** Suppressions `--prune-suppressions` removed (counted per finding). */
  pruned: number;
  /** Where the file is, as the user would write it; undefined when there is none and none was asked for. */
  shown?: string;
}

/**
 * Applies the suppressions file to the findings this run reports (already narrowed to its paths and projects), after
 * writing it when asked. `inScope` says which files this run reports on and `rulesRan` which rules ran: only their
 * entries can be judged stale or be pruned.
 */
export function bulkSuppress(root: string, options: SuppressionOptions, findings: Finding[], inScope: (file: string) => boolean, rulesRan: ReadonlySet<string>): BulkOutcome {
  const file = options.suppressionsLocation ? path.resolve(options.suppressionsLocation) : path.join(root, SUPPRESSIONS_FILE_NAME);
  const shown = path.relative(process.cwd(), file) || file;
  const writes = !!(options.suppressAll || options.suppressRule?.length || options.pruneSuppressions);
  const inRoot = isInside(root, file);
  const read = tryReadWorkspaceFile(file, { root: inRoot ? root : undefined });
  let suppressions: BulkSuppressions;
  if (typeof read === 'string') {
    suppressions = parseSuppressions(read, file);
  } else if (read.reason === 'refused') {
    throw new UsageError(read.message);
  } else if (writes) {
    suppressions = emptySuppressions();
  } else if (options.suppressionsLocation) {
    throw new UsageError(`no suppressions file at ${shown}; write one with --suppress-all`);
  } else {
    return { findings, suppressed: 0, stale: [], pruned: 0 };
  }

  const judged = (entryFile: string, ruleId: string) => rulesRan.has(ruleId) && inScope(entryFile);
  if (options.suppressAll || options.suppressRule?.length) {
    const inReport = findings.filter((finding) => judged(finding.location.file, finding.ruleId));
    suppressions = suppressFindings(suppressions, inReport, options.suppressAll ? undefined : options.suppressRule).suppressions;
  }
  let applied = applyBulkSuppressions(suppressions, findings, judged);
  let pruned = 0;
  if (options.pruneSuppressions && applied.stale.length > 0) {
    pruned = countStale(applied.stale);
    suppressions = pruneSuppressions(suppressions, applied.stale);
    applied = applyBulkSuppressions(suppressions, findings, judged);
  }
  if (writes) {
    try {
      // A file in the workspace: no link below the root is followed. A file the user named elsewhere is theirs.
      writeFileSafely(inRoot ? root : path.dirname(file), file, serialiseSuppressions(suppressions));
    } catch (error) {
      throw new UsageError(`cannot write ${shown}: ${(error as Error).message}`);
    }
  }
  return { findings: applied.findings, suppressed: applied.suppressed, stale: applied.stale, pruned, shown };
}

/** What stderr says about the file: how many findings it keeps out of the report, and what no longer matches. */
export function describeBulk(outcome: BulkOutcome, options: SuppressionOptions): string[] {
  if (!outcome.shown) return [];
  const lines: string[] = [];
  if (options.suppressAll || options.suppressRule?.length) lines.push(`Wrote ${plural(outcome.suppressed, 'suppressed finding')} to ${outcome.shown}.`);
  else if (outcome.suppressed > 0) lines.push(`${plural(outcome.suppressed, 'suppressed finding')} in ${outcome.shown} (not reported; they remain to be fixed).`);
  if (outcome.pruned > 0) lines.push(`Removed ${plural(outcome.pruned, 'suppression')} that no longer matched from ${outcome.shown}.`);
  const stale = countStale(outcome.stale);
  if (stale > 0) {
    const verb = stale === 1 ? 'matches' : 'match';
    lines.push(`${plural(stale, 'suppression')} in ${outcome.shown} no longer ${verb} any finding; run with --prune-suppressions to remove ${stale === 1 ? 'it' : 'them'}.`);
  }
  return lines;
}

/** Stale entries, counted per finding they were to suppress. */
export function countStale(stale: readonly StaleSuppression[]): number {
  return stale.reduce((total, entry) => total + entry.count, 0);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
