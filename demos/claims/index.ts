/** The claims of the seed article, one file each, by name (in the order they run). */
import type { ClaimContext, ClaimName, ClaimResult } from './context';
import { deadRelu } from './dead-relu';
import { ranking } from './ranking';
import { reluVsTanh } from './relu-vs-tanh';
import { saturation } from './saturation';
import { zeroCentred } from './zero-centred';

export const RUNNERS: Record<ClaimName, (ctx: ClaimContext) => Promise<ClaimResult>> = {
  saturation,
  'zero-centred': zeroCentred,
  'relu-vs-tanh': reluVsTanh,
  'dead-relu': deadRelu,
  ranking,
};

export { CLAIMS, claimContext, type ClaimContext, type ClaimName, type ClaimResult } from './context';
