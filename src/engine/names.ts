/** Kernel names carry a prefix so that a future tfjs kernel can never clash with ours. */
export const KERNEL_PREFIX = 'TfjsActivations';

export interface KernelNames {
  forward: string;
  grad1: string;
  grad2: string;
  /** dy·s·f″(x) in one kernel: the x gradient of grad1 (g·dy·f″) without a separate multiplication. */
  grad2Scaled: string;
}

export function kernelNames(id: string): KernelNames {
  const base = `${KERNEL_PREFIX}_${id}`;
  return { forward: base, grad1: `${base}_grad1`, grad2: `${base}_grad2`, grad2Scaled: `${base}_grad2_scaled` };
}
