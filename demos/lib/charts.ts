/**
 * Charts: vega-lite specs compiled and rendered to SVG by vega in Node (no canvas), and to PNG by
 * resvg. Builders for the demos' recurring chart kinds.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import { allIds, scalarFns, VARIANTS } from './activations';

import type { VlSpec } from './chart-specs';
export { lineSpec, type VlSpec } from './chart-specs';
import { lineSpec } from './chart-specs';

export interface RenderedChart {
  name: string;
  title: string;
  svg: string;
  svgPath: string;
  pngPath: string;
}

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

/** Renders a vega-lite spec to `<dir>/<name>.svg` and `.png`; returns the SVG text. */
export async function renderChart(spec: VlSpec, dir: string, name: string, title = name): Promise<RenderedChart> {
  fs.mkdirSync(dir, { recursive: true });
  const full: VlSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    config: { font: FONT, view: { stroke: '#ddd' } },
    ...spec,
  };
  const view = new vega.View(vega.parse(vl.compile(full as vl.TopLevelSpec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const svgPath = path.join(dir, `${name}.svg`);
  const pngPath = path.join(dir, `${name}.png`);
  fs.writeFileSync(svgPath, svg);
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: 1.5 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
  fs.writeFileSync(pngPath, png);
  return { name, title, svg, svgPath, pngPath };
}

/** Horizontal bars of mean with ± std error bars; rows sorted by mean (descending). */
export function barSpec(o: { values: { label: string; mean: number; std: number; group?: string }[]; title: string; xTitle: string; domain?: [number, number] }): VlSpec {
  const vals = o.values.map((v) => ({ ...v, lo: v.mean - v.std, hi: v.mean + v.std }));
  return {
    title: o.title,
    data: { values: vals },
    width: 420,
    height: Math.max(120, 16 * vals.length),
    encoding: { y: { field: 'label', type: 'nominal', sort: { field: 'mean', order: 'descending' }, title: null } },
    layer: [
      {
        mark: 'bar',
        encoding: {
          x: { field: 'mean', type: 'quantitative', title: o.xTitle, scale: o.domain ? { domain: o.domain, clamp: true } : { zero: false } },
          color: o.values.some((v) => v.group) ? { field: 'group', type: 'nominal', title: null } : { value: '#4c78a8' },
        },
      },
      { mark: { type: 'rule', color: 'black' }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
    ],
  };
}

/** Each activation and its first derivative on [lo, hi], from the registry's float64 functions. */
export function activationGallerySpec(ids: string[] = allIds().filter((id) => !VARIANTS[id]), lo = -5, hi = 5, n = 201): VlSpec {
  const values: object[] = [];
  for (const id of ids) {
    const { f, df } = scalarFns(id);
    for (let i = 0; i < n; i++) {
      const x = lo + ((hi - lo) * i) / (n - 1);
      const y = f(x);
      const dy = df(x);
      if (Number.isFinite(y)) values.push({ activation: id, x, y: Math.max(-6, Math.min(6, y)), curve: 'f(x)' });
      if (Number.isFinite(dy)) values.push({ activation: id, x, y: Math.max(-6, Math.min(6, dy)), curve: "f'(x)" });
    }
  }
  return lineSpec({ values, x: 'x', y: 'y', color: 'curve', facet: 'activation', columns: 6, title: "Activations and their derivatives (registry, float64; clipped to ±6)", width: 130, height: 90 });
}
