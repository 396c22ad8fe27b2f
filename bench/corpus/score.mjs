// Scores findings against hand labels: which labelled problems were reported (recall), how many of the labelled
// places reported were real problems (precision), and which findings nobody has labelled yet.
// Pure functions over plain data, so the harness and its test share them.

export const LABELS = ['finding', 'ok', 'unsure'];
const COLUMNS = ['repo', 'path', 'line', 'rule', 'label', 'reason'];

/** Parses labels.tsv: a header line, then one label per line; `#` lines and blank lines are skipped. */
export function parseLabels(text, source = 'labels.tsv') {
  const labels = [];
  const errors = [];
  let header;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trimEnd();
    if (!line || line.startsWith('#')) return;
    const cells = line.split('\t');
    if (!header) {
      header = cells;
      if (COLUMNS.some((column, i) => header[i] !== column)) errors.push(`${source}:${index + 1}: the header must be ${COLUMNS.join(' ')}`);
      return;
    }
    const [repo, path, lineText, rule, label, ...reason] = cells;
    const lineNumber = Number(lineText);
    if (!repo || !path || !Number.isInteger(lineNumber) || lineNumber < 1 || !rule || !LABELS.includes(label)) {
      errors.push(`${source}:${index + 1}: expected repo, path, a line number, rule, one of ${LABELS.join('/')}, reason`);
      return;
    }
    labels.push({ repo, path, line: lineNumber, rule, label, reason: reason.join(' ').trim(), source: `${source}:${index + 1}` });
  });
  return { labels, errors };
}

/** A finding and a label are about the same place when the label's line is one of the finding's lines (a label may
 * name the line where a multi-line call's method stands, `this.http\n  .get(`); a neighbouring line is another call. */
function distance(finding, label) {
  if (finding.path !== label.path || finding.rule !== label.rule) return Infinity;
  return label.line >= finding.line && label.line <= finding.endLine ? label.line - finding.line : Infinity;
}

/**
 * Pairs one repository's findings with its labels, closest first, each at most once.
 * @param findings {{ path, line, endLine, rule, message }[]} paths relative to the repository root
 * @param labels labels of that repository
 * @returns {{ matched: { finding, label }[], missed: label[], unlabelled: finding[] }}
 */
export function matchFindings(findings, labels) {
  const pairs = [];
  findings.forEach((finding, f) => {
    labels.forEach((label, l) => {
      const d = distance(finding, label);
      if (d !== Infinity) pairs.push({ d, f, l });
    });
  });
  pairs.sort((a, b) => a.d - b.d || a.l - b.l || a.f - b.f);
  const usedFindings = new Set();
  const usedLabels = new Set();
  const matched = [];
  for (const { f, l } of pairs) {
    if (usedFindings.has(f) || usedLabels.has(l)) continue;
    usedFindings.add(f);
    usedLabels.add(l);
    matched.push({ finding: findings[f], label: labels[l] });
  }
  return {
    matched,
    missed: labels.filter((label, l) => !usedLabels.has(l) && label.label === 'finding'),
    unlabelled: findings.filter((_, f) => !usedFindings.has(f)),
  };
}

function emptyTally() {
  return { findingLabels: 0, okLabels: 0, truePositives: 0, falsePositives: 0, falseNegatives: 0, unlabelled: 0, findings: 0 };
}

/** Adds one repository's match to a tally, for the findings and labels of `rule` (every rule when undefined). */
export function tally(into, match, labels, findings, rule) {
  const ofRule = (item) => rule === undefined || item.rule === rule;
  for (const label of labels.filter(ofRule)) {
    if (label.label === 'finding') into.findingLabels++;
    if (label.label === 'ok') into.okLabels++;
  }
  into.findings += findings.filter(ofRule).length;
  for (const { label } of match.matched.filter(({ label }) => ofRule(label))) {
    if (label.label === 'finding') into.truePositives++;
    if (label.label === 'ok') into.falsePositives++;
  }
  into.falseNegatives += match.missed.filter(ofRule).length;
  into.unlabelled += match.unlabelled.filter(ofRule).length;
  return into;
}

export const newTally = emptyTally;

/** Recall and precision of a tally; undefined where there is nothing to divide by. */
export function rates(t) {
  const recall = t.findingLabels ? t.truePositives / t.findingLabels : undefined;
  const judged = t.truePositives + t.falsePositives;
  const precision = judged ? t.truePositives / judged : undefined;
  return { recall, precision };
}
