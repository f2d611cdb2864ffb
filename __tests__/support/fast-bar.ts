/**
 * The fast path's accuracy check, shared by __tests__/fast.test.ts (Node backends) and the browser
 * tests (webgl, webgpu): f, f′ and f″ of a reference case at its fixture points (60-digit mpmath
 * truth) and on a dense grid (float64 definitions), against the backward-stability bar of
 * stability.ts.
 */
import * as act from '../../src';
import type { AnyDefinition } from '../../src/definition';
import { resolveDefinitionParams } from '../../src/engine/op';
import { parseTruth, type ReferenceCase } from './accuracy';
import { backwardBar, barRatio, centralDifference } from './stability';

/** Dense float32 grid: every 0.01 in [−30, 30], and ±10^k for k in [−30, 30] in quarter steps. */
export const GRID: number[] = (() => {
  const xs = new Set<number>();
  for (let i = -3000; i <= 3000; i++) xs.add(Math.fround(i / 100));
  for (let e = -30; e <= 30; e += 0.25) {
    xs.add(Math.fround(10 ** e));
    xs.add(Math.fround(-(10 ** e)));
  }
  return [...xs];
})();

export const ORDER_NAMES = ['f', "f'", "f''"];

/** The points a case is checked at: its fixture points, then the grid. */
export const casePoints = (c: ReferenceCase): number[] => [...c.x, ...GRID];

interface Check {
  order: 0 | 1 | 2;
  x: number;
  got: number;
  truth: number;
  bar: number;
}

/** Every checked point of a case, given the computed f, f′, f″ at casePoints(c). */
function checks(c: ReferenceCase, results: readonly ArrayLike<number>[]): Check[] {
  const def = act.get(c.id) as AnyDefinition;
  const p = resolveDefinitionParams(def, c.params);
  const g = [(x: number) => def.forward(x, p), (x: number) => def.derivative(x, p), (x: number) => def.secondDerivative(x, p)];
  const next = [g[1], g[2], centralDifference(g[2])];
  const truths = [c.y, c.dy, c.d2y];
  const xs = casePoints(c);
  const out: Check[] = [];
  for (const order of [0, 1, 2] as const) {
    xs.forEach((x, i) => {
      const fixture = i < c.x.length ? truths[order][i] : undefined;
      if (fixture === null) return; // at a kink: a convention, tested in gradients.test.ts
      const truth = fixture === undefined ? g[order](x) : parseTruth(fixture);
      out.push({ order, x, got: results[order][i], truth, bar: backwardBar(g[order], x, next[order]) });
    });
  }
  return out;
}

const passes = (k: Check): boolean => {
  const rounded = Math.fround(k.truth);
  return Number.isFinite(rounded)
    ? Math.abs(k.got - k.truth) <= k.bar
    : Object.is(k.got, rounded) || (Number.isNaN(k.got) && Number.isNaN(k.truth));
};

/** Points where a result breaks the bar, described (at most `limit`). */
export function violations(c: ReferenceCase, results: readonly ArrayLike<number>[], limit = 8): string[] {
  return checks(c, results)
    .filter((k) => !passes(k))
    .slice(0, limit)
    .map((k) => `${ORDER_NAMES[k.order]}(${k.x}) = ${k.got}, truth ${k.truth}, ` +
      `error ${Math.abs(k.got - k.truth).toExponential(2)} > bar ${k.bar.toExponential(2)}`);
}

/** The largest |error| / bar of a case per order (≤ 1 passes), and where. */
export function worstRatios(c: ReferenceCase, results: readonly ArrayLike<number>[]): Array<{ ratio: number; x: number }> {
  const worst = [0, 1, 2].map(() => ({ ratio: 0, x: NaN }));
  for (const k of checks(c, results)) {
    const ratio = passes(k) ? (Number.isFinite(Math.fround(k.truth)) ? Math.abs(k.got - k.truth) / k.bar : 0) : Infinity;
    if (ratio > worst[k.order].ratio) worst[k.order] = { ratio, x: k.x };
  }
  return worst;
}

export { barRatio };
