/** Kernel names carry a prefix so that a future tfjs kernel can never clash with ours. */
export const KERNEL_PREFIX = 'TfjsActivations';

export interface KernelNames {
  forward: string;
  grad1: string;
  grad2: string;
}

export function kernelNames(id: string): KernelNames {
  const base = `${KERNEL_PREFIX}_${id}`;
  return { forward: base, grad1: `${base}_grad1`, grad2: `${base}_grad2` };
}
