// Generated from the registry by `npm run docs` (scripts/docs.ts); do not edit. A test keeps it current.
import type { DefinitionOf } from '../registry';
import type { LayerFactoryFor, OpFor } from './api-types';

/** The ops, one per activation: `act.ops.<id>(x, params?)`. */
export interface Ops {
  /**
   * Sigmoid — Logistic function: squashes any input into (0, 1).
   *
   * σ(x) = 1 / (1 + e^(−x))
   * σ′(x) = σ(x)·σ(−x)
   * σ″(x) = σ′(x)·(1 − 2σ(x)) = −σ′(x)·tanh(x/2)
   *
   * Range (0, 1); monotonic; smooth.
   * @example act.ops.sigmoid(x)
   * @see https://www.nature.com/articles/323533a0 (Rumelhart et al., 1986)
   */
  readonly sigmoid: OpFor<DefinitionOf<'sigmoid'>>;
  /**
   * Tanh — Hyperbolic tangent: a zero-centred sigmoid with range (−1, 1).
   *
   * tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x))
   * tanh′(x) = sech²(x) = 1 − tanh²(x)
   * tanh″(x) = −2·tanh(x)·sech²(x)
   *
   * Range (−1, 1); monotonic; smooth.
   * @example act.ops.tanh(x)
   * @see http://yann.lecun.com/exdb/publis/pdf/lecun-98b.pdf (LeCun et al., 1998)
   */
  readonly tanh: OpFor<DefinitionOf<'tanh'>>;
  /**
   * ReLU — Rectified linear unit, with Keras 3's optional negative slope, cap and threshold.
   *
   * f(x) = min(x, maxValue) if x > threshold, else negativeSlope·(x − threshold)
   * f′(x) = 1 if threshold < x < maxValue, 0 if x ≥ maxValue, negativeSlope if x ≤ threshold
   * f″(x) = 0
   *
   * Range [0, ∞) (defaults); monotonic; kinks: x=0: f′ jumps, left limit.
   * @param params.negativeSlope Slope for x ≤ threshold. Default: 0.
   * @param params.maxValue Saturation cap; null for none. Default: none.
   * @param params.threshold Inputs at or below it are in the negative part. Default: 0.
   * @example act.ops.relu(x, { ... })
   * @see https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf (Nair & Hinton, 2010)
   */
  readonly relu: OpFor<DefinitionOf<'relu'>>;
  /**
   * ReLU6 — ReLU capped at 6: min(max(x, 0), 6).
   *
   * f(x) = min(max(x, 0), 6)
   * f′(x) = 1 if 0 < x < 6, else 0
   * f″(x) = 0
   *
   * Range [0, 6]; monotonic; kinks: x=0: f′ jumps, left limit; x=6: f′ jumps, right limit.
   * @example act.ops.relu6(x)
   * @see https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf (Krizhevsky, 2010)
   */
  readonly relu6: OpFor<DefinitionOf<'relu6'>>;
  /**
   * Leaky ReLU — ReLU with a small slope alpha for negative inputs, so units cannot die.
   *
   * f(x) = x if x > 0, else alpha·x
   * f′(x) = 1 if x > 0, else alpha
   * f″(x) = 0
   *
   * Range (−∞, ∞); monotonic; kinks: x=0: f′ jumps, left limit.
   * @param params.alpha Slope for x ≤ 0. Default: 0.2.
   * @example act.ops.leakyRelu(x, { ... })
   * @see https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf (Maas et al., 2013)
   */
  readonly leakyRelu: OpFor<DefinitionOf<'leakyRelu'>>;
  /**
   * ELU — Exponential linear unit: x for x > 0, alpha·(e^x − 1) otherwise.
   *
   * f(x) = x if x > 0, else alpha·(e^x − 1)
   * f′(x) = 1 if x > 0, else alpha·e^x
   * f″(x) = 0 if x > 0, else alpha·e^x
   *
   * Range (−alpha, ∞); monotonic; kinks: x=0: f″ jumps, left limit.
   * @param params.alpha Value the negative side saturates to is −alpha. Default: 1.
   * @example act.ops.elu(x, { ... })
   * @see https://arxiv.org/abs/1511.07289 (Clevert et al., 2016)
   */
  readonly elu: OpFor<DefinitionOf<'elu'>>;
  /**
   * SELU — Scaled ELU whose fixed point keeps activations at zero mean and unit variance.
   *
   * f(x) = scale·x if x > 0, else scale·alpha·(e^x − 1)
   * f′(x) = scale if x > 0, else scale·alpha·e^x
   * f″(x) = 0 if x > 0, else scale·alpha·e^x
   *
   * Range (−scale·alpha, ∞); monotonic; kinks: x=0: f′ jumps, left limit.
   * @example act.ops.selu(x)
   * @see https://arxiv.org/abs/1706.02515 (Klambauer et al., 2017)
   */
  readonly selu: OpFor<DefinitionOf<'selu'>>;
  /**
   * CELU — Continuously differentiable ELU: max(0, x) + min(0, alpha·(e^(x/alpha) − 1)).
   *
   * f(x) = x if x > 0, else alpha·(e^(x/alpha) − 1)
   * f′(x) = 1 if x > 0, else e^(x/alpha)
   * f″(x) = 0 if x > 0, else e^(x/alpha) / alpha
   *
   * Range (−alpha, ∞); monotonic; kinks: x=0: f″ jumps, left limit.
   * @param params.alpha Scale of the negative part. Default: 1.
   * @example act.ops.celu(x, { ... })
   * @see https://arxiv.org/abs/1704.07483 (Barron, 2017)
   */
  readonly celu: OpFor<DefinitionOf<'celu'>>;
  /**
   * GELU — Gaussian error linear unit: x·Φ(x), or its tanh approximation.
   *
   * f(x) = x·Φ(x) = x/2·(1 + erf(x/√2));  approximate: x/2·(1 + tanh(√(2/π)(x + 0.044715x³)))
   * f′(x) = Φ(x) + x·φ(x);  approximate: s + 2x·s(1−s)·u′ with s = σ(2u)
   * f″(x) = φ(x)·(2 − x²);  approximate: differentiated likewise
   *
   * Range (≈−0.17, ∞); not monotonic; smooth.
   * @param params.approximate Use the tanh approximation. Default: false.
   * @example act.ops.gelu(x, { ... })
   * @see https://arxiv.org/abs/1606.08415 (Hendrycks & Gimpel, 2016)
   */
  readonly gelu: OpFor<DefinitionOf<'gelu'>>;
  /**
   * Softplus — Smooth ReLU: log(1 + e^(beta·x)) / beta.
   *
   * f(x) = log(1 + e^(beta·x)) / beta
   * f′(x) = σ(beta·x)
   * f″(x) = beta·σ(beta·x)·σ(−beta·x)
   *
   * Range (0, ∞); monotonic; smooth.
   * @param params.beta Sharpness; larger is closer to ReLU. Default: 1.
   * @example act.ops.softplus(x, { ... })
   * @see https://proceedings.neurips.cc/paper/2000/hash/44968aece94f667e4095002d140b5896-Abstract.html (Dugas et al., 2001)
   */
  readonly softplus: OpFor<DefinitionOf<'softplus'>>;
  /**
   * Softsign — x / (1 + |x|): a tanh-like squashing with polynomial, not exponential, tails.
   *
   * f(x) = x / (1 + |x|)
   * f′(x) = 1 / (1 + |x|)²
   * f″(x) = −2·sign(x) / (1 + |x|)³
   *
   * Range (−1, 1); monotonic; kinks: x=0: f″ jumps, mean of both sides.
   * @example act.ops.softsign(x)
   * @see https://proceedings.mlr.press/v9/glorot10a.html (Glorot & Bengio, 2010)
   */
  readonly softsign: OpFor<DefinitionOf<'softsign'>>;
  /**
   * Swish / SiLU — x·σ(beta·x); with beta = 1 this is SiLU.
   *
   * f(x) = x·σ(beta·x)
   * f′(x) = σ(z) + z·σ(z)·σ(−z),  z = beta·x
   * f″(x) = beta·σ(z)·σ(−z)·(2 − z·tanh(z/2))
   *
   * Range (≈−0.278, ∞); not monotonic; smooth.
   * @param params.beta Slope inside the sigmoid. Default: 1.
   * @example act.ops.swish(x, { ... })
   * @see https://arxiv.org/abs/1710.05941 (Ramachandran et al., 2017)
   */
  readonly swish: OpFor<DefinitionOf<'swish'>>;
  /**
   * Mish — x·tanh(softplus(x)): smooth, non-monotonic, unbounded above.
   *
   * f(x) = x·tanh(softplus(x))
   * f′(x) = tanh(sp(x)) + x·sech²(sp(x))·σ(x)
   * f″(x) = sech²(sp(x))·σ(x)·(2 + x·(σ(−x) − 2·tanh(sp(x))·σ(x)))
   *
   * Range (≈−0.309, ∞); not monotonic; smooth.
   * @example act.ops.mish(x)
   * @see https://arxiv.org/abs/1908.08681 (Misra, 2019)
   */
  readonly mish: OpFor<DefinitionOf<'mish'>>;
  /**
   * Hard sigmoid — Piecewise-linear sigmoid, Keras 3 / PyTorch form: clamp(x/6 + 1/2, 0, 1).
   *
   * f(x) = clamp(x/6 + 1/2, 0, 1)
   * f′(x) = 1/6 if −3 < x < 3, else 0
   * f″(x) = 0
   *
   * Range [0, 1]; monotonic; kinks: x=-3: f′ jumps, left limit; x=3: f′ jumps, right limit.
   * @example act.ops.hardSigmoid(x)
   * @see https://arxiv.org/abs/1905.02244 (Howard et al., 2019)
   */
  readonly hardSigmoid: OpFor<DefinitionOf<'hardSigmoid'>>;
  /**
   * Hard sigmoid (Keras 2, tfjs) — Piecewise-linear sigmoid, Keras 2 / tfjs form: clamp(x/5 + 1/2, 0, 1).
   *
   * f(x) = clamp(x/5 + 1/2, 0, 1)
   * f′(x) = 1/5 if −2.5 < x < 2.5, else 0
   * f″(x) = 0
   *
   * Range [0, 1]; monotonic; kinks: x=-2.5: f′ jumps, left limit; x=2.5: f′ jumps, right limit.
   * @example act.ops.hardSigmoidKeras2(x)
   * @see https://arxiv.org/abs/1511.00363 (Courbariaux et al., 2015)
   */
  readonly hardSigmoidKeras2: OpFor<DefinitionOf<'hardSigmoidKeras2'>>;
  /**
   * Hard swish — x·hardSigmoid(x) = x·relu6(x + 3)/6, a cheap Swish.
   *
   * f(x) = x·clamp(x/6 + 1/2, 0, 1)
   * f′(x) = 0 if x < −3, (2x + 3)/6 if −3 ≤ x ≤ 3, 1 if x > 3
   * f″(x) = 1/3 if −3 ≤ x ≤ 3, else 0
   *
   * Range [−3/8, ∞); not monotonic; kinks: x=-3: f′ jumps, right limit; x=3: f′ jumps, left limit.
   * @example act.ops.hardSwish(x)
   * @see https://arxiv.org/abs/1905.02244 (Howard et al., 2019)
   */
  readonly hardSwish: OpFor<DefinitionOf<'hardSwish'>>;
  /**
   * Hard tanh — Clamp to [minVal, maxVal]: a piecewise-linear tanh.
   *
   * f(x) = min(max(x, minVal), maxVal)
   * f′(x) = 1 if minVal < x < maxVal, else 0
   * f″(x) = 0
   *
   * Range [minVal, maxVal]; monotonic; kinks: x=-1: f′ jumps, left limit; x=1: f′ jumps, right limit.
   * @param params.minVal Lower clamp. Default: -1.
   * @param params.maxVal Upper clamp. Default: 1.
   * @example act.ops.hardTanh(x, { ... })
   * @see https://jmlr.org/papers/v12/collobert11a.html (Collobert et al., 2011)
   */
  readonly hardTanh: OpFor<DefinitionOf<'hardTanh'>>;
  /**
   * Log-sigmoid — log σ(x) = −softplus(−x).
   *
   * f(x) = log σ(x) = −log(1 + e^(−x))
   * f′(x) = σ(−x)
   * f″(x) = −σ(x)·σ(−x)
   *
   * Range (−∞, 0); monotonic; smooth.
   * @example act.ops.logSigmoid(x)
   * @see https://www.nature.com/articles/323533a0 (Rumelhart et al., 1986)
   */
  readonly logSigmoid: OpFor<DefinitionOf<'logSigmoid'>>;
  /**
   * Tanh shrink — x − tanh(x).
   *
   * f(x) = x − tanh(x)
   * f′(x) = tanh²(x)
   * f″(x) = 2·tanh(x)·sech²(x)
   *
   * Range (−∞, ∞); monotonic; smooth.
   * @example act.ops.tanhShrink(x)
   * @see https://pytorch.org/docs/stable/generated/torch.nn.Tanhshrink.html (PyTorch Tanhshrink)
   */
  readonly tanhShrink: OpFor<DefinitionOf<'tanhShrink'>>;
  /**
   * Soft shrink — Soft thresholding: moves x towards 0 by threshold, and zeroes |x| ≤ threshold.
   *
   * f(x) = x − λ if x > λ, x + λ if x < −λ, else 0
   * f′(x) = 1 if |x| > λ, else 0
   * f″(x) = 0
   *
   * Range (−∞, ∞); monotonic; kinks: x=-0.5: f′ jumps, right limit; x=0.5: f′ jumps, left limit.
   * @param params.threshold Half-width of the zero band. Default: 0.5.
   * @example act.ops.softShrink(x, { ... })
   * @see https://doi.org/10.1109/18.382009 (Donoho, 1995)
   */
  readonly softShrink: OpFor<DefinitionOf<'softShrink'>>;
  /**
   * Hard shrink — Hard thresholding: x if |x| > threshold, else 0.
   *
   * f(x) = x if |x| > λ, else 0
   * f′(x) = 1 if |x| > λ, else 0
   * f″(x) = 0
   *
   * Range (−∞, −λ) ∪ {0} ∪ (λ, ∞); monotonic; kinks: x=-0.5: jump, right limit; x=0.5: jump, left limit.
   * @param params.threshold Half-width of the zero band. Default: 0.5.
   * @example act.ops.hardShrink(x, { ... })
   * @see https://doi.org/10.1093/biomet/81.3.425 (Donoho & Johnstone, 1994)
   */
  readonly hardShrink: OpFor<DefinitionOf<'hardShrink'>>;
  /**
   * Squareplus — (x + √(x² + b)) / 2: a softplus made of a square root.
   *
   * f(x) = (x + √(x² + b)) / 2
   * f′(x) = (1 + x/√(x² + b)) / 2
   * f″(x) = b / (2(x² + b)^(3/2))
   *
   * Range (0, ∞); monotonic; smooth.
   * @param params.b Smoothness near 0 (f(0) = √b/2). Default: 4.
   * @example act.ops.squareplus(x, { ... })
   * @see https://arxiv.org/abs/2112.11687 (Barron, 2021)
   */
  readonly squareplus: OpFor<DefinitionOf<'squareplus'>>;
  /**
   * Sparse plus — A piecewise-quadratic softplus that is exactly 0 for x ≤ −1 and x for x ≥ 1.
   *
   * f(x) = 0 if x ≤ −1, (x + 1)²/4 if −1 < x < 1, x if x ≥ 1
   * f′(x) = 0 if x ≤ −1, (x + 1)/2 if −1 < x < 1, 1 if x ≥ 1
   * f″(x) = 1/2 if −1 < x < 1, else 0
   *
   * Range [0, ∞); monotonic; kinks: x=-1: f″ jumps, left limit; x=1: f″ jumps, right limit.
   * @example act.ops.sparsePlus(x)
   * @see https://arxiv.org/abs/1901.02324 (Blondel et al., 2020)
   */
  readonly sparsePlus: OpFor<DefinitionOf<'sparsePlus'>>;
  /**
   * Sparse sigmoid — The derivative of sparse plus: 0 for x ≤ −1, (x + 1)/2 between, 1 for x ≥ 1.
   *
   * f(x) = 0 if x ≤ −1, (x + 1)/2 if −1 < x < 1, 1 if x ≥ 1
   * f′(x) = 1/2 if −1 < x < 1, else 0
   * f″(x) = 0
   *
   * Range [0, 1]; monotonic; kinks: x=-1: f′ jumps, left limit; x=1: f′ jumps, right limit.
   * @example act.ops.sparseSigmoid(x)
   * @see https://arxiv.org/abs/1901.02324 (Blondel et al., 2020)
   */
  readonly sparseSigmoid: OpFor<DefinitionOf<'sparseSigmoid'>>;
  /**
   * Exponential — e^x.
   *
   * f(x) = e^x
   * f′(x) = e^x
   * f″(x) = e^x
   *
   * Range (0, ∞); monotonic; smooth.
   * @example act.ops.exponential(x)
   * @see https://keras.io/api/layers/activations/ (Keras 3 activations)
   */
  readonly exponential: OpFor<DefinitionOf<'exponential'>>;
  /**
   * Threshold — x if x > threshold, else a constant value.
   *
   * f(x) = x if x > threshold, else value
   * f′(x) = 1 if x > threshold, else 0
   * f″(x) = 0
   *
   * Range {value} ∪ (threshold, ∞); monotonic; kinks: x=0: jump, left limit.
   * @param params.threshold Inputs at or below it are replaced. Default: 0.
   * @param params.value The replacement. Default: 0.
   * @example act.ops.threshold(x, { ... })
   * @see https://pytorch.org/docs/stable/generated/torch.nn.Threshold.html (PyTorch Threshold)
   */
  readonly threshold: OpFor<DefinitionOf<'threshold'>>;
  /**
   * LiSHT — Linearly scaled hyperbolic tangent: x·tanh(x).
   *
   * f(x) = x·tanh(x)
   * f′(x) = tanh(x) + x·sech²(x)
   * f″(x) = 2·sech²(x)·(1 − x·tanh(x))
   *
   * Range [0, ∞); not monotonic; smooth.
   * @example act.ops.lisht(x)
   * @see https://arxiv.org/abs/1901.05894 (Roy et al., 2019)
   */
  readonly lisht: OpFor<DefinitionOf<'lisht'>>;
  /**
   * Snake — x + sin²(frequency·x)/frequency: a periodic activation that still extrapolates linearly.
   *
   * f(x) = x + sin²(a·x)/a
   * f′(x) = 1 + sin(2a·x) = (sin(a·x) + cos(a·x))²
   * f″(x) = 2a·cos(2a·x)
   *
   * Range (−∞, ∞); monotonic; smooth.
   * @param params.frequency Frequency a of the sine. Default: 1.
   * @example act.ops.snake(x, { ... })
   * @see https://arxiv.org/abs/2006.08195 (Ziyin et al., 2020)
   */
  readonly snake: OpFor<DefinitionOf<'snake'>>;
}

/** The element-wise activation layers, one per activation: `act.layers.<id>(args?)`. */
export interface ElementwiseLayerFactories {
  /**
   * Sigmoid — Logistic function: squashes any input into (0, 1).
   *
   * σ(x) = 1 / (1 + e^(−x))
   * σ′(x) = σ(x)·σ(−x)
   * σ″(x) = σ′(x)·(1 − 2σ(x)) = −σ′(x)·tanh(x/2)
   *
   * Range (0, 1); monotonic; smooth.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.sigmoid())
   * @see https://www.nature.com/articles/323533a0 (Rumelhart et al., 1986)
   */
  readonly sigmoid: LayerFactoryFor<DefinitionOf<'sigmoid'>>;
  /**
   * Tanh — Hyperbolic tangent: a zero-centred sigmoid with range (−1, 1).
   *
   * tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x))
   * tanh′(x) = sech²(x) = 1 − tanh²(x)
   * tanh″(x) = −2·tanh(x)·sech²(x)
   *
   * Range (−1, 1); monotonic; smooth.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.tanh())
   * @see http://yann.lecun.com/exdb/publis/pdf/lecun-98b.pdf (LeCun et al., 1998)
   */
  readonly tanh: LayerFactoryFor<DefinitionOf<'tanh'>>;
  /**
   * ReLU — Rectified linear unit, with Keras 3's optional negative slope, cap and threshold.
   *
   * f(x) = min(x, maxValue) if x > threshold, else negativeSlope·(x − threshold)
   * f′(x) = 1 if threshold < x < maxValue, 0 if x ≥ maxValue, negativeSlope if x ≤ threshold
   * f″(x) = 0
   *
   * Range [0, ∞) (defaults); monotonic; kinks: x=0: f′ jumps, left limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @param args.negativeSlope Slope for x ≤ threshold. Default: 0.
   * @param args.maxValue Saturation cap; null for none. Default: none.
   * @param args.threshold Inputs at or below it are in the negative part. Default: 0.
   * @example model.add(act.layers.relu({ ... }))
   * @see https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf (Nair & Hinton, 2010)
   */
  readonly relu: LayerFactoryFor<DefinitionOf<'relu'>>;
  /**
   * ReLU6 — ReLU capped at 6: min(max(x, 0), 6).
   *
   * f(x) = min(max(x, 0), 6)
   * f′(x) = 1 if 0 < x < 6, else 0
   * f″(x) = 0
   *
   * Range [0, 6]; monotonic; kinks: x=0: f′ jumps, left limit; x=6: f′ jumps, right limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.relu6())
   * @see https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf (Krizhevsky, 2010)
   */
  readonly relu6: LayerFactoryFor<DefinitionOf<'relu6'>>;
  /**
   * Leaky ReLU — ReLU with a small slope alpha for negative inputs, so units cannot die.
   *
   * f(x) = x if x > 0, else alpha·x
   * f′(x) = 1 if x > 0, else alpha
   * f″(x) = 0
   *
   * Range (−∞, ∞); monotonic; kinks: x=0: f′ jumps, left limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @param args.alpha Slope for x ≤ 0. Default: 0.2.
   * @example model.add(act.layers.leakyRelu({ ... }))
   * @see https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf (Maas et al., 2013)
   */
  readonly leakyRelu: LayerFactoryFor<DefinitionOf<'leakyRelu'>>;
  /**
   * ELU — Exponential linear unit: x for x > 0, alpha·(e^x − 1) otherwise.
   *
   * f(x) = x if x > 0, else alpha·(e^x − 1)
   * f′(x) = 1 if x > 0, else alpha·e^x
   * f″(x) = 0 if x > 0, else alpha·e^x
   *
   * Range (−alpha, ∞); monotonic; kinks: x=0: f″ jumps, left limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @param args.alpha Value the negative side saturates to is −alpha. Default: 1.
   * @example model.add(act.layers.elu({ ... }))
   * @see https://arxiv.org/abs/1511.07289 (Clevert et al., 2016)
   */
  readonly elu: LayerFactoryFor<DefinitionOf<'elu'>>;
  /**
   * SELU — Scaled ELU whose fixed point keeps activations at zero mean and unit variance.
   *
   * f(x) = scale·x if x > 0, else scale·alpha·(e^x − 1)
   * f′(x) = scale if x > 0, else scale·alpha·e^x
   * f″(x) = 0 if x > 0, else scale·alpha·e^x
   *
   * Range (−scale·alpha, ∞); monotonic; kinks: x=0: f′ jumps, left limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.selu())
   * @see https://arxiv.org/abs/1706.02515 (Klambauer et al., 2017)
   */
  readonly selu: LayerFactoryFor<DefinitionOf<'selu'>>;
  /**
   * CELU — Continuously differentiable ELU: max(0, x) + min(0, alpha·(e^(x/alpha) − 1)).
   *
   * f(x) = x if x > 0, else alpha·(e^(x/alpha) − 1)
   * f′(x) = 1 if x > 0, else e^(x/alpha)
   * f″(x) = 0 if x > 0, else e^(x/alpha) / alpha
   *
   * Range (−alpha, ∞); monotonic; kinks: x=0: f″ jumps, left limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @param args.alpha Scale of the negative part. Default: 1.
   * @example model.add(act.layers.celu({ ... }))
   * @see https://arxiv.org/abs/1704.07483 (Barron, 2017)
   */
  readonly celu: LayerFactoryFor<DefinitionOf<'celu'>>;
  /**
   * GELU — Gaussian error linear unit: x·Φ(x), or its tanh approximation.
   *
   * f(x) = x·Φ(x) = x/2·(1 + erf(x/√2));  approximate: x/2·(1 + tanh(√(2/π)(x + 0.044715x³)))
   * f′(x) = Φ(x) + x·φ(x);  approximate: s + 2x·s(1−s)·u′ with s = σ(2u)
   * f″(x) = φ(x)·(2 − x²);  approximate: differentiated likewise
   *
   * Range (≈−0.17, ∞); not monotonic; smooth.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @param args.approximate Use the tanh approximation. Default: false.
   * @example model.add(act.layers.gelu({ ... }))
   * @see https://arxiv.org/abs/1606.08415 (Hendrycks & Gimpel, 2016)
   */
  readonly gelu: LayerFactoryFor<DefinitionOf<'gelu'>>;
  /**
   * Softplus — Smooth ReLU: log(1 + e^(beta·x)) / beta.
   *
   * f(x) = log(1 + e^(beta·x)) / beta
   * f′(x) = σ(beta·x)
   * f″(x) = beta·σ(beta·x)·σ(−beta·x)
   *
   * Range (0, ∞); monotonic; smooth.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @param args.beta Sharpness; larger is closer to ReLU. Default: 1.
   * @example model.add(act.layers.softplus({ ... }))
   * @see https://proceedings.neurips.cc/paper/2000/hash/44968aece94f667e4095002d140b5896-Abstract.html (Dugas et al., 2001)
   */
  readonly softplus: LayerFactoryFor<DefinitionOf<'softplus'>>;
  /**
   * Softsign — x / (1 + |x|): a tanh-like squashing with polynomial, not exponential, tails.
   *
   * f(x) = x / (1 + |x|)
   * f′(x) = 1 / (1 + |x|)²
   * f″(x) = −2·sign(x) / (1 + |x|)³
   *
   * Range (−1, 1); monotonic; kinks: x=0: f″ jumps, mean of both sides.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.softsign())
   * @see https://proceedings.mlr.press/v9/glorot10a.html (Glorot & Bengio, 2010)
   */
  readonly softsign: LayerFactoryFor<DefinitionOf<'softsign'>>;
  /**
   * Swish / SiLU — x·σ(beta·x); with beta = 1 this is SiLU.
   *
   * f(x) = x·σ(beta·x)
   * f′(x) = σ(z) + z·σ(z)·σ(−z),  z = beta·x
   * f″(x) = beta·σ(z)·σ(−z)·(2 − z·tanh(z/2))
   *
   * Range (≈−0.278, ∞); not monotonic; smooth.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @param args.beta Slope inside the sigmoid. Default: 1.
   * @example model.add(act.layers.swish({ ... }))
   * @see https://arxiv.org/abs/1710.05941 (Ramachandran et al., 2017)
   */
  readonly swish: LayerFactoryFor<DefinitionOf<'swish'>>;
  /**
   * Mish — x·tanh(softplus(x)): smooth, non-monotonic, unbounded above.
   *
   * f(x) = x·tanh(softplus(x))
   * f′(x) = tanh(sp(x)) + x·sech²(sp(x))·σ(x)
   * f″(x) = sech²(sp(x))·σ(x)·(2 + x·(σ(−x) − 2·tanh(sp(x))·σ(x)))
   *
   * Range (≈−0.309, ∞); not monotonic; smooth.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.mish())
   * @see https://arxiv.org/abs/1908.08681 (Misra, 2019)
   */
  readonly mish: LayerFactoryFor<DefinitionOf<'mish'>>;
  /**
   * Hard sigmoid — Piecewise-linear sigmoid, Keras 3 / PyTorch form: clamp(x/6 + 1/2, 0, 1).
   *
   * f(x) = clamp(x/6 + 1/2, 0, 1)
   * f′(x) = 1/6 if −3 < x < 3, else 0
   * f″(x) = 0
   *
   * Range [0, 1]; monotonic; kinks: x=-3: f′ jumps, left limit; x=3: f′ jumps, right limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.hardSigmoid())
   * @see https://arxiv.org/abs/1905.02244 (Howard et al., 2019)
   */
  readonly hardSigmoid: LayerFactoryFor<DefinitionOf<'hardSigmoid'>>;
  /**
   * Hard sigmoid (Keras 2, tfjs) — Piecewise-linear sigmoid, Keras 2 / tfjs form: clamp(x/5 + 1/2, 0, 1).
   *
   * f(x) = clamp(x/5 + 1/2, 0, 1)
   * f′(x) = 1/5 if −2.5 < x < 2.5, else 0
   * f″(x) = 0
   *
   * Range [0, 1]; monotonic; kinks: x=-2.5: f′ jumps, left limit; x=2.5: f′ jumps, right limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.hardSigmoidKeras2())
   * @see https://arxiv.org/abs/1511.00363 (Courbariaux et al., 2015)
   */
  readonly hardSigmoidKeras2: LayerFactoryFor<DefinitionOf<'hardSigmoidKeras2'>>;
  /**
   * Hard swish — x·hardSigmoid(x) = x·relu6(x + 3)/6, a cheap Swish.
   *
   * f(x) = x·clamp(x/6 + 1/2, 0, 1)
   * f′(x) = 0 if x < −3, (2x + 3)/6 if −3 ≤ x ≤ 3, 1 if x > 3
   * f″(x) = 1/3 if −3 ≤ x ≤ 3, else 0
   *
   * Range [−3/8, ∞); not monotonic; kinks: x=-3: f′ jumps, right limit; x=3: f′ jumps, left limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.hardSwish())
   * @see https://arxiv.org/abs/1905.02244 (Howard et al., 2019)
   */
  readonly hardSwish: LayerFactoryFor<DefinitionOf<'hardSwish'>>;
  /**
   * Hard tanh — Clamp to [minVal, maxVal]: a piecewise-linear tanh.
   *
   * f(x) = min(max(x, minVal), maxVal)
   * f′(x) = 1 if minVal < x < maxVal, else 0
   * f″(x) = 0
   *
   * Range [minVal, maxVal]; monotonic; kinks: x=-1: f′ jumps, left limit; x=1: f′ jumps, right limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @param args.minVal Lower clamp. Default: -1.
   * @param args.maxVal Upper clamp. Default: 1.
   * @example model.add(act.layers.hardTanh({ ... }))
   * @see https://jmlr.org/papers/v12/collobert11a.html (Collobert et al., 2011)
   */
  readonly hardTanh: LayerFactoryFor<DefinitionOf<'hardTanh'>>;
  /**
   * Log-sigmoid — log σ(x) = −softplus(−x).
   *
   * f(x) = log σ(x) = −log(1 + e^(−x))
   * f′(x) = σ(−x)
   * f″(x) = −σ(x)·σ(−x)
   *
   * Range (−∞, 0); monotonic; smooth.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.logSigmoid())
   * @see https://www.nature.com/articles/323533a0 (Rumelhart et al., 1986)
   */
  readonly logSigmoid: LayerFactoryFor<DefinitionOf<'logSigmoid'>>;
  /**
   * Tanh shrink — x − tanh(x).
   *
   * f(x) = x − tanh(x)
   * f′(x) = tanh²(x)
   * f″(x) = 2·tanh(x)·sech²(x)
   *
   * Range (−∞, ∞); monotonic; smooth.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.tanhShrink())
   * @see https://pytorch.org/docs/stable/generated/torch.nn.Tanhshrink.html (PyTorch Tanhshrink)
   */
  readonly tanhShrink: LayerFactoryFor<DefinitionOf<'tanhShrink'>>;
  /**
   * Soft shrink — Soft thresholding: moves x towards 0 by threshold, and zeroes |x| ≤ threshold.
   *
   * f(x) = x − λ if x > λ, x + λ if x < −λ, else 0
   * f′(x) = 1 if |x| > λ, else 0
   * f″(x) = 0
   *
   * Range (−∞, ∞); monotonic; kinks: x=-0.5: f′ jumps, right limit; x=0.5: f′ jumps, left limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @param args.threshold Half-width of the zero band. Default: 0.5.
   * @example model.add(act.layers.softShrink({ ... }))
   * @see https://doi.org/10.1109/18.382009 (Donoho, 1995)
   */
  readonly softShrink: LayerFactoryFor<DefinitionOf<'softShrink'>>;
  /**
   * Hard shrink — Hard thresholding: x if |x| > threshold, else 0.
   *
   * f(x) = x if |x| > λ, else 0
   * f′(x) = 1 if |x| > λ, else 0
   * f″(x) = 0
   *
   * Range (−∞, −λ) ∪ {0} ∪ (λ, ∞); monotonic; kinks: x=-0.5: jump, right limit; x=0.5: jump, left limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @param args.threshold Half-width of the zero band. Default: 0.5.
   * @example model.add(act.layers.hardShrink({ ... }))
   * @see https://doi.org/10.1093/biomet/81.3.425 (Donoho & Johnstone, 1994)
   */
  readonly hardShrink: LayerFactoryFor<DefinitionOf<'hardShrink'>>;
  /**
   * Squareplus — (x + √(x² + b)) / 2: a softplus made of a square root.
   *
   * f(x) = (x + √(x² + b)) / 2
   * f′(x) = (1 + x/√(x² + b)) / 2
   * f″(x) = b / (2(x² + b)^(3/2))
   *
   * Range (0, ∞); monotonic; smooth.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @param args.b Smoothness near 0 (f(0) = √b/2). Default: 4.
   * @example model.add(act.layers.squareplus({ ... }))
   * @see https://arxiv.org/abs/2112.11687 (Barron, 2021)
   */
  readonly squareplus: LayerFactoryFor<DefinitionOf<'squareplus'>>;
  /**
   * Sparse plus — A piecewise-quadratic softplus that is exactly 0 for x ≤ −1 and x for x ≥ 1.
   *
   * f(x) = 0 if x ≤ −1, (x + 1)²/4 if −1 < x < 1, x if x ≥ 1
   * f′(x) = 0 if x ≤ −1, (x + 1)/2 if −1 < x < 1, 1 if x ≥ 1
   * f″(x) = 1/2 if −1 < x < 1, else 0
   *
   * Range [0, ∞); monotonic; kinks: x=-1: f″ jumps, left limit; x=1: f″ jumps, right limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.sparsePlus())
   * @see https://arxiv.org/abs/1901.02324 (Blondel et al., 2020)
   */
  readonly sparsePlus: LayerFactoryFor<DefinitionOf<'sparsePlus'>>;
  /**
   * Sparse sigmoid — The derivative of sparse plus: 0 for x ≤ −1, (x + 1)/2 between, 1 for x ≥ 1.
   *
   * f(x) = 0 if x ≤ −1, (x + 1)/2 if −1 < x < 1, 1 if x ≥ 1
   * f′(x) = 1/2 if −1 < x < 1, else 0
   * f″(x) = 0
   *
   * Range [0, 1]; monotonic; kinks: x=-1: f′ jumps, left limit; x=1: f′ jumps, right limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.sparseSigmoid())
   * @see https://arxiv.org/abs/1901.02324 (Blondel et al., 2020)
   */
  readonly sparseSigmoid: LayerFactoryFor<DefinitionOf<'sparseSigmoid'>>;
  /**
   * Exponential — e^x.
   *
   * f(x) = e^x
   * f′(x) = e^x
   * f″(x) = e^x
   *
   * Range (0, ∞); monotonic; smooth.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.exponential())
   * @see https://keras.io/api/layers/activations/ (Keras 3 activations)
   */
  readonly exponential: LayerFactoryFor<DefinitionOf<'exponential'>>;
  /**
   * Threshold — x if x > threshold, else a constant value.
   *
   * f(x) = x if x > threshold, else value
   * f′(x) = 1 if x > threshold, else 0
   * f″(x) = 0
   *
   * Range {value} ∪ (threshold, ∞); monotonic; kinks: x=0: jump, left limit.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @param args.threshold Inputs at or below it are replaced. Default: 0.
   * @param args.value The replacement. Default: 0.
   * @example model.add(act.layers.threshold({ ... }))
   * @see https://pytorch.org/docs/stable/generated/torch.nn.Threshold.html (PyTorch Threshold)
   */
  readonly threshold: LayerFactoryFor<DefinitionOf<'threshold'>>;
  /**
   * LiSHT — Linearly scaled hyperbolic tangent: x·tanh(x).
   *
   * f(x) = x·tanh(x)
   * f′(x) = tanh(x) + x·sech²(x)
   * f″(x) = 2·sech²(x)·(1 − x·tanh(x))
   *
   * Range [0, ∞); not monotonic; smooth.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @example model.add(act.layers.lisht())
   * @see https://arxiv.org/abs/1901.05894 (Roy et al., 2019)
   */
  readonly lisht: LayerFactoryFor<DefinitionOf<'lisht'>>;
  /**
   * Snake — x + sin²(frequency·x)/frequency: a periodic activation that still extrapolates linearly.
   *
   * f(x) = x + sin²(a·x)/a
   * f′(x) = 1 + sin(2a·x) = (sin(a·x) + cos(a·x))²
   * f″(x) = 2a·cos(2a·x)
   *
   * Range (−∞, ∞); monotonic; smooth.
   * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.
   * @param args.frequency Frequency a of the sine. Default: 1.
   * @example model.add(act.layers.snake({ ... }))
   * @see https://arxiv.org/abs/2006.08195 (Ziyin et al., 2020)
   */
  readonly snake: LayerFactoryFor<DefinitionOf<'snake'>>;
}
