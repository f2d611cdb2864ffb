/**
 * Unit statistics over a batch: dead, zero, constant and saturated units, and how far from
 * zero-centred the outputs are. Plain arrays in, numbers out (no tfjs), so the Node demos and the
 * browser playground count the same way and tests can check them on hand-built numbers.
 */

/** A [rows × units] matrix, row-major. */
export interface UnitMatrix {
  data: ArrayLike<number>;
  rows: number;
  units: number;
}

export interface UnitStats {
  units: number;
  /** Units passing no gradient for any row: |f'(z)| ≤ gradTol for every row (needs pre-activations). */
  dead: number;
  /** Units whose output is 0 (|y| ≤ zeroTol) for every row. */
  zeroOutput: number;
  /** Units whose output does not vary over the rows (max − min ≤ constTol). */
  constant: number;
}

/**
 * Dead-unit counts over a held batch. `pre` are pre-activations (rows × units) with the activation's
 * derivative `df` (float64, from the registry); `out` are the activation outputs (rows × units').
 * Either may be omitted (counts then NaN).
 */
export function unitStats(
  opts: {
    pre?: UnitMatrix;
    df?: (z: number) => number;
    out?: UnitMatrix;
  },
  tol = { grad: 1e-8, zero: 1e-7, constant: 1e-6 },
): UnitStats {
  const res: UnitStats = { units: opts.out?.units ?? opts.pre?.units ?? 0, dead: NaN, zeroOutput: NaN, constant: NaN };
  if (opts.pre && opts.df) {
    const { data, rows, units } = opts.pre;
    let dead = 0;
    for (let u = 0; u < units; u++) {
      let alive = false;
      for (let r = 0; r < rows && !alive; r++) if (Math.abs(opts.df(data[r * units + u])) > tol.grad) alive = true;
      if (!alive) dead++;
    }
    res.dead = dead;
  }
  if (opts.out) {
    const { data, rows, units } = opts.out;
    let zero = 0;
    let constant = 0;
    for (let u = 0; u < units; u++) {
      let lo = Infinity;
      let hi = -Infinity;
      let allZero = true;
      for (let r = 0; r < rows; r++) {
        const v = data[r * units + u];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (!(Math.abs(v) <= tol.zero)) allZero = false;
      }
      if (allZero) zero++;
      if (hi - lo <= tol.constant) constant++;
    }
    res.zeroOutput = zero;
    res.constant = constant;
  }
  return res;
}

/** Mean of all outputs, and mean over units of |mean over rows| (how far from zero-centred). */
export function meanActivation(out: UnitMatrix): { mean: number; meanAbsUnitMean: number } {
  const { data, rows, units } = out;
  let total = 0;
  let absUnit = 0;
  for (let u = 0; u < units; u++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += data[r * units + u];
    total += s;
    absUnit += Math.abs(s / rows);
  }
  return { mean: total / (rows * units), meanAbsUnitMean: absUnit / units };
}

/**
 * Units that pass little gradient without being dead: |f'(z)| ≤ fraction·peak on at least `share` of
 * the rows, but > gradTol on some row (dead units are counted by unitStats). `peak` is the largest
 * |f'| the caller considers normal (the playground uses the maximum over z in [−3, 3]).
 */
export function saturatedUnits(
  pre: UnitMatrix,
  df: (z: number) => number,
  peak: number,
  opts: { fraction?: number; share?: number; gradTol?: number } = {},
): number {
  const { fraction = 0.05, share = 0.9, gradTol = 1e-8 } = opts;
  const { data, rows, units } = pre;
  let saturated = 0;
  for (let u = 0; u < units; u++) {
    let small = 0;
    let alive = false;
    for (let r = 0; r < rows; r++) {
      const g = Math.abs(df(data[r * units + u]));
      if (g > gradTol) alive = true;
      if (g <= fraction * peak) small++;
    }
    if (alive && small >= share * rows) saturated++;
  }
  return saturated;
}
