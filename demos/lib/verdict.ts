/** Verdicts computed from measurements: a rule checked per condition, never written in by hand. */
export type VerdictWord = 'holds' | 'does not hold' | 'holds only under conditions';

export interface Verdict {
  verdict: VerdictWord;
  /** The rule, with its thresholds, as printed next to the verdict. */
  rule: string;
  /** Conditions where the rule held / failed. */
  heldUnder: string[];
  failedUnder: string[];
}

/** Checks `rule` per condition: all → holds, none → does not hold, some → holds only under those. */
export function verdictOver(rule: string, conditions: { label: string; ok: boolean }[]): Verdict {
  const heldUnder = conditions.filter((c) => c.ok).map((c) => c.label);
  const failedUnder = conditions.filter((c) => !c.ok).map((c) => c.label);
  const verdict: VerdictWord = !conditions.length || !heldUnder.length ? 'does not hold' : failedUnder.length ? 'holds only under conditions' : 'holds';
  return { verdict, rule, heldUnder, failedUnder };
}

export function formatVerdict(v: Verdict): string {
  const lines = [`VERDICT: ${v.verdict.toUpperCase()}`, `  rule: ${v.rule}`];
  if (v.verdict === 'holds only under conditions') lines.push(`  held under: ${v.heldUnder.join('; ')}`, `  failed under: ${v.failedUnder.join('; ')}`);
  else if (v.verdict === 'does not hold' && v.failedUnder.length) lines.push(`  failed under: ${v.failedUnder.join('; ')}`);
  return lines.join('\n');
}
