/**
 * The benchmark harness (npm run bench) on a tiny size, so that it cannot rot: structure of the
 * result, ratios, targets, rendering, and no tensors left behind. Timing values are not checked.
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../helpers/backends';
import { selectCases, benchCases } from '../../demos/lib/bench-cases';
import { evaluateTargets, renderMarkdown, renderTerminal, type BenchResult } from '../../demos/lib/bench-report';
import { runBench } from '../../demos/lib/bench-run';
import { benchCell } from '../../demos/lib/bench-harness';
import { evaluateTrainingTarget, runTrainBench } from '../../demos/lib/bench-training';
import { renderSpeedSummary } from '../../demos/lib/speed-summary';
import * as act from '../../src';

describe('benchmark harness', () => {
  let result: BenchResult;
  let tensorsBefore: number;

  beforeAll(async () => {
    await useBackend('cpu');
    tensorsBefore = tf.memory().numTensors;
    result = await runBench({
      backends: ['cpu'],
      sizes: [1000],
      reps: () => 1,
      warmup: 1,
      only: ['relu', 'mish', 'gelu_new'],
      limits: true,
      limitReps: 1,
      training: { ids: ['relu'], samples: 128, reps: 1 },
      preliminary: true,
    });
  }, 60000);

  it('has a case for every activation, with a composition and the declared built-ins', () => {
    const cases = benchCases();
    for (const id of act.list()) expect(cases.some((c) => c.id === id)).toBe(true);
    expect(cases.map((c) => c.key)).toContain('gelu_new');
    for (const c of cases) expect(c.composition).toBeDefined();
    for (const c of cases) {
      const b = (act.get(c.id as act.ActivationId) as act.AnyDefinition).builtin;
      if (b?.tfjsOp || b?.tfjsActivation) expect(c.builtin).toBeDefined();
    }
    expect(() => selectCases(['noSuchActivation'])).toThrow(/unknown activation/);
  });

  it('times ours, the built-in and the composition, forward and forward+backward', () => {
    expect(result.ops.map((o) => o.key)).toEqual(['relu', 'mish', 'gelu_new']);
    for (const o of result.ops) {
      expect(o.backend).toBe('cpu');
      expect(o.size).toBe(1000);
      expect(o.leakedTensors).toBe(0);
      for (const v of ['ours', 'builtin', 'composition'] as const) {
        const impl = o.impls[v]!;
        expect(impl.error).toBeUndefined();
        expect(impl.fwd.n).toBe(1);
        expect(impl.fwd.median).toBeGreaterThan(0);
        expect(impl.fwdbwd.median).toBeGreaterThan(0);
        expect(impl.gbps.fwd).toBeGreaterThan(0);
      }
      for (const mode of ['fwd', 'fwdbwd'] as const) {
        const r = o.ratios[mode];
        expect(r.vsBuiltin!.median).toBeGreaterThan(0);
        expect(r.vsComposition!.median).toBeGreaterThan(0);
        expect(['builtin', 'composition']).toContain(r.vsBest!.best);
      }
    }
  });

  it('gives fast cells more repetitions, up to maxReps, when a floor is set', () => {
    const [relu] = selectCases(['relu']);
    const x = tf.tensor1d([-1, 0.5, 2]);
    const dy = tf.onesLike(x);
    const repsOf = (floor?: number) =>
      benchCell(relu, 'cpu', x, dy, { reps: 2, warmup: 1, cellFloorMs: floor, maxReps: 6 }).impls.ours!.fwd.n;
    expect(repsOf()).toBe(2);
    expect(repsOf(60000)).toBe(6);  // three elements take far less than 10 s a repetition
    tf.dispose([x, dy]);
  });

  it("renders the README's speed table: activations tfjs has, ours ÷ tfjs's own, slower ones in bold", () => {
    const table = renderSpeedSummary(result, undefined, 1000);
    const rows = table.split('\n').filter((l) => /^\| [a-z]/i.test(l) && !l.startsWith('| activation'));
    // gelu_new is a variant of gelu (key ≠ id), not an activation of its own.
    expect(rows.map((l) => l.split(' | ')[0].slice(2))).toEqual(['relu', 'mish']);
    for (const row of rows) {
      const id = row.split(' | ')[0].slice(2);
      const ratio = result.ops.find((o) => o.key === id)!.ratios.fwdbwd.vsBuiltin!.median;
      const cpuCell = row.split(' | ')[1];
      expect(cpuCell).toBe(ratio > 1 ? `**${ratio.toFixed(2)}**` : ratio.toFixed(2));
    }
    expect(table).toContain(`(cpu ${act.getPrecision('cpu')})`);
  });

  it('measures the limit and training', () => {
    expect(result.limits).toHaveLength(1);
    expect(result.limits[0].nsPerElement.stream).toBeGreaterThan(0);
    expect(result.limits[0].nsPerElement.exp).toBeGreaterThan(0);
    const labels = result.training.map((t) => t.label);
    expect(labels).toEqual(['linear: tf Dense + tfjs', 'relu: tf Dense + tfjs', 'relu: tf Dense + ours', 'relu: act.layers.dense + ours']);
    for (const t of result.training) {
      expect(t.error).toBeUndefined();
      expect(t.epochMs.median).toBeGreaterThan(0);
      expect(t.leakedTensors).toBe(0);
    }
  });

  it('times the CNN too (on wasm, through the Conv2DBackpropFilter bridge) and judges the training target on act.layers.dense rows', async () => {
    const training = await runTrainBench({ backends: ['wasm'], ids: ['gelu'], models: ['mlp', 'cnn'], samples: 64, cnnSamples: 16, reps: 1 });
    await useBackend('cpu');
    expect(training.map((t) => `${t.model} ${t.label}`)).toEqual([
      'mlp linear: tf Dense + tfjs', 'mlp gelu: tf Dense + tfjs', 'mlp gelu: tf Dense + ours', 'mlp gelu: act.layers.dense + ours',
      'cnn CNN linear: tf layers + tfjs', 'cnn CNN gelu: tf layers + tfjs', 'cnn CNN gelu: tf layers + ours', 'cnn CNN gelu: act.layers.dense + ours',
    ]);
    for (const t of training) {
      expect(t.error).toBeUndefined();
      expect(t.epochMs.median).toBeGreaterThan(0);
      expect(t.leakedTensors).toBe(0);
      expect(t.samples).toBe(t.model === 'cnn' ? 16 : 64);
    }
    // One judged row per model; the target is met exactly when both ratios are ≤ 1.
    const judged = training.filter((t) => t.dense === 'actDense');
    expect(judged.map((t) => t.vsTfjs!.median > 0)).toEqual([true, true]);
    const target = evaluateTrainingTarget(training);
    expect(target.met).toBe(judged.every((t) => t.vsTfjs!.median <= 1));
    expect(target.misses).toHaveLength(judged.filter((t) => t.vsTfjs!.median > 1).length);
    const md = renderMarkdown({ ...result, training });
    expect(md).toContain('CNN 28×28×1 → conv5×5/2(32)');
    expect(md).toMatch(target.met ? /\*\*Met\*\*/ : /\*\*Missed\*\*/);
  }, 120000);

  it('evaluates the targets and renders markdown and the terminal table', () => {
    const verdicts = evaluateTargets(result);
    expect(verdicts).toHaveLength(3);
    // 1e3 is not a target size: nothing is judged.
    for (const v of verdicts) expect(v.met).toBeNull();
    const md = renderMarkdown(result);
    expect(md).toContain(`#### cpu (precision '${act.getPrecision('cpu')}'`);
    expect(md).toContain('ours / best tfjs');
    expect(md).toMatch(/\| mish ◆ \|/);
    expect(md).toContain('Training cost');
    expect(renderTerminal(result)).toContain('gelu_new');
    expect(JSON.parse(JSON.stringify(result)).meta.backends).toEqual(['cpu']);
  });

  it('leaves no tensors behind', () => {
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
