/**
 * The one hand-kept list: every element-wise activation, in the order docs and reports show them.
 * Adding an activation = adding its file and one line here.
 */
import { celu } from './celu';
import { elu } from './elu';
import { exponential } from './exponential';
import { gelu } from './gelu';
import { hardShrink } from './hardShrink';
import { hardSigmoid } from './hardSigmoid';
import { hardSigmoidKeras2 } from './hardSigmoidKeras2';
import { hardSwish } from './hardSwish';
import { hardTanh } from './hardTanh';
import { leakyRelu } from './leakyRelu';
import { lisht } from './lisht';
import { logSigmoid } from './logSigmoid';
import { mish } from './mish';
import { relu } from './relu';
import { relu6 } from './relu6';
import { selu } from './selu';
import { sigmoid } from './sigmoid';
import { snake } from './snake';
import { softplus } from './softplus';
import { softShrink } from './softShrink';
import { softsign } from './softsign';
import { sparsePlus } from './sparsePlus';
import { sparseSigmoid } from './sparseSigmoid';
import { squareplus } from './squareplus';
import { swish } from './swish';
import { tanh } from './tanh';
import { tanhShrink } from './tanhShrink';
import { threshold } from './threshold';

export const definitions = [
  sigmoid,
  tanh,
  relu,
  relu6,
  leakyRelu,
  elu,
  selu,
  celu,
  gelu,
  softplus,
  softsign,
  swish,
  mish,
  hardSigmoid,
  hardSigmoidKeras2,
  hardSwish,
  hardTanh,
  logSigmoid,
  tanhShrink,
  softShrink,
  hardShrink,
  squareplus,
  sparsePlus,
  sparseSigmoid,
  exponential,
  threshold,
  lisht,
  snake,
] as const;
