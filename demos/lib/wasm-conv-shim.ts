/**
 * tfjs-backend-wasm 4.22 has no 'Conv2DBackpropFilter' kernel, so a conv2d layer cannot train on
 * wasm ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"). It does have
 * 'Conv3DBackpropFilterV2': a 2-D filter gradient is the 3-D one with depth 1. This registers that
 * bridge (NHWC, stride 1, 'same'/'valid' padding, no dilation) so the demos' CNN can train on wasm.
 * A no-op if the kernel exists (e.g. a later tfjs release) or wasm is not registered.
 */
import * as tf from '@tensorflow/tfjs';

type KernelFunc = (args: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }) => tf.TensorInfo;

export function installWasmConv2dFilterGrad(): boolean {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return false;
  const reshapeK = tf.getKernel('Reshape', 'wasm')?.kernelFunc as unknown as KernelFunc | undefined;
  const conv3dK = tf.getKernel('Conv3DBackpropFilterV2', 'wasm')?.kernelFunc as unknown as KernelFunc | undefined;
  if (!reshapeK || !conv3dK) return false;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: (({ inputs, backend, attrs }: Parameters<KernelFunc>[0]) => {
      const { x, dy } = inputs;
      const { strides, pad, dataFormat, filterShape } = attrs as {
        strides: number | [number, number];
        pad: unknown;
        dataFormat?: string;
        filterShape: [number, number, number, number];
      };
      if (dataFormat && dataFormat !== 'NHWC') throw new Error(`wasm Conv2DBackpropFilter shim: only NHWC (got ${dataFormat})`);
      if (pad !== 'same' && pad !== 'valid') throw new Error(`wasm Conv2DBackpropFilter shim: only 'same'/'valid' padding (got ${String(pad)})`);
      const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
      // Checked against the cpu kernel: exact at stride 1; wasm's 3-D kernel disagrees for stride > 1.
      if (sh !== 1 || sw !== 1) throw new Error(`wasm Conv2DBackpropFilter shim: only stride 1 (got ${sh}x${sw}); downsample with pooling`);
      const b = backend as { disposeData(id: object): void };
      const x5 = reshapeK({ inputs: { x }, backend, attrs: { shape: [x.shape[0], 1, x.shape[1], x.shape[2], x.shape[3]] } });
      const dy5 = reshapeK({ inputs: { x: dy }, backend, attrs: { shape: [dy.shape[0], 1, dy.shape[1], dy.shape[2], dy.shape[3]] } });
      const dw5 = conv3dK({
        inputs: { x: x5, dy: dy5 },
        backend,
        attrs: { strides: [1, sh, sw], pad, filterShape: [1, ...filterShape] },
      });
      const dw = reshapeK({ inputs: { x: dw5 }, backend, attrs: { shape: filterShape } });
      for (const t of [x5, dy5, dw5]) b.disposeData(t.dataId);
      return dw;
    }) as unknown as tf.KernelFunc,
  });
  return true;
}
