/**
 * tfjs-backend-wasm 4.22 has no 'Conv2DBackpropFilter' kernel, so a conv2d layer cannot train on
 * wasm ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"). It does have
 * 'Conv3DBackpropFilterV2': a 2-D filter gradient is the 3-D one with depth 1. This registers that
 * bridge (NHWC, 'same'/'valid' padding, no dilation) so the demos' CNNs can train on wasm.
 * Strides above 1 go through stride 1, where wasm's 3-D kernel is right: the filter gradient of a
 * stride-s convolution is the stride-1 one with dy spread out by s (zeros between its rows and
 * columns) over x, padded as 'same' asks.
 * A no-op if the kernel exists (e.g. a later tfjs release) or wasm is not registered.
 */
import * as tf from '@tensorflow/tfjs';

type KernelFunc = (args: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }) => tf.TensorInfo;

export function installWasmConv2dFilterGrad(): boolean {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return false;
  const reshapeK = tf.getKernel('Reshape', 'wasm')?.kernelFunc as unknown as KernelFunc | undefined;
  const conv3dK = tf.getKernel('Conv3DBackpropFilterV2', 'wasm')?.kernelFunc as unknown as KernelFunc | undefined;
  const padK = tf.getKernel('PadV2', 'wasm')?.kernelFunc as unknown as KernelFunc | undefined;
  const sliceK = tf.getKernel('Slice', 'wasm')?.kernelFunc as unknown as KernelFunc | undefined;
  if (!reshapeK || !conv3dK || !padK || !sliceK) return false;
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
      const b = backend as { disposeData(id: object): void };
      const temporaries: tf.TensorInfo[] = [];
      const keep = (t: tf.TensorInfo) => (temporaries.push(t), t);
      let xs = x;
      let dys = dy;
      let padding = pad;
      if (sh !== 1 || sw !== 1) {
        const [, h, w] = x.shape;
        const [kh, kw] = filterShape;
        const [, ho, wo, co] = dy.shape;
        if (pad === 'same') {
          // 'same' pads x by what the stride-s output needs, then it is 'valid'.
          const ph = Math.max((ho - 1) * sh + kh - h, 0);
          const pw = Math.max((wo - 1) * sw + kw - w, 0);
          const paddings = [[0, 0], [Math.floor(ph / 2), ph - Math.floor(ph / 2)], [Math.floor(pw / 2), pw - Math.floor(pw / 2)], [0, 0]];
          xs = keep(padK({ inputs: { x }, backend, attrs: { paddings, constantValue: 0 } }));
          padding = 'valid';
        }
        // dy spread out: [n, ho, 1, wo, 1, c] padded to [n, ho, sh, wo, sw, c], cut to the stride-1 output size.
        const [hp, wp] = [xs.shape[1], xs.shape[2]];
        const spread6 = keep(reshapeK({ inputs: { x: dy }, backend, attrs: { shape: [dy.shape[0], ho, 1, wo, 1, co] } }));
        const padded6 = keep(padK({ inputs: { x: spread6 }, backend, attrs: { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 } }));
        const spread = keep(reshapeK({ inputs: { x: padded6 }, backend, attrs: { shape: [dy.shape[0], ho * sh, wo * sw, co] } }));
        dys = keep(sliceK({ inputs: { x: spread }, backend, attrs: { begin: [0, 0, 0, 0], size: [dy.shape[0], hp - kh + 1, wp - kw + 1, co] } }));
      }
      const x5 = keep(reshapeK({ inputs: { x: xs }, backend, attrs: { shape: [xs.shape[0], 1, xs.shape[1], xs.shape[2], xs.shape[3]] } }));
      const dy5 = keep(reshapeK({ inputs: { x: dys }, backend, attrs: { shape: [dys.shape[0], 1, dys.shape[1], dys.shape[2], dys.shape[3]] } }));
      const dw5 = keep(conv3dK({
        inputs: { x: x5, dy: dy5 },
        backend,
        attrs: { strides: [1, 1, 1], pad: padding, filterShape: [1, ...filterShape] },
      }));
      const dw = reshapeK({ inputs: { x: dw5 }, backend, attrs: { shape: filterShape } });
      for (const t of temporaries) b.disposeData(t.dataId);
      return dw;
    }) as unknown as tf.KernelFunc,
  });
  return true;
}
