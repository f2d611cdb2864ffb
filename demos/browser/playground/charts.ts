/**
 * The playground's charts: vega-lite specs (lineSpec shared with the Node demos) compiled once, then
 * updated in place through named data sets, so a training step redraws without rebuilding the view.
 */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { lineSpec, type VlSpec } from '../../lib/chart-specs';

/** Data set name every chart below reads. */
const DATA = 'table';

/** A vega view in `container` with a replaceable or growing data set. */
export class LiveChart {
  private readonly view: vega.View;
  private renders = 0;

  constructor(readonly container: HTMLElement, spec: VlSpec) {
    const named = { ...spec, data: { name: DATA }, config: { legend: { labelLimit: 240 } } };
    this.view = new vega.View(vega.parse(compile(named as never).spec), { renderer: 'canvas', container, hover: false });
  }

  /** Replaces all rows. */
  replace(rows: object[]): Promise<void> {
    return this.commit(vega.changeset().remove(vega.truthy).insert(rows));
  }

  /** Adds rows. */
  append(rows: object[]): Promise<void> {
    return this.commit(vega.changeset().insert(rows));
  }

  private async commit(changes: vega.Changeset): Promise<void> {
    // resize(): re-run autosize, so axis labels and legends that grow with the data stay inside the canvas.
    await this.view.change(DATA, changes).resize().runAsync();
    // Tests and screenshots read how many times each chart was drawn.
    this.container.dataset.renders = String(++this.renders);
  }

  finalize(): void {
    this.view.finalize();
  }
}

/** f, f′ and f″ of one activation (rows {x, y, curve}). */
export function curvesSpec(title: string): VlSpec {
  return lineSpec({ values: [], x: 'x', y: 'y', color: 'curve', title, yTitle: 'value (clipped to ±6)', width: 300, height: 170 });
}

/** P(class 1) over the plane as a heat map (rows {x, x2, y, y2, p}) with the training points on top (rows {px, py, label}). */
export function boundarySpec(title: string): VlSpec {
  const axis = (field: string) => ({ field, type: 'quantitative', title: null, scale: { domain: [-2.5, 2.5], nice: false } });
  return {
    title,
    width: 300,
    height: 300,
    layer: [
      {
        transform: [{ filter: 'isValid(datum.p)' }],
        mark: { type: 'rect', strokeWidth: 0 },
        encoding: {
          x: axis('x'),
          x2: { field: 'x2' },
          y: axis('y'),
          y2: { field: 'y2' },
          color: { field: 'p', type: 'quantitative', title: 'P(class 1)', scale: { scheme: 'blueorange', domain: [0, 1] } },
        },
      },
      {
        transform: [{ filter: 'isValid(datum.label)' }],
        mark: { type: 'circle', size: 18, stroke: 'white', strokeWidth: 0.6, opacity: 1 },
        encoding: {
          x: { field: 'px', type: 'quantitative' },
          y: { field: 'py', type: 'quantitative' },
          fill: { field: 'label', type: 'nominal', title: 'class', scale: { range: ['#1f4e9c', '#c2410c'] } },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
}

/** Training loss of both panels (rows {step, loss, panel}). */
export function lossSpec(): VlSpec {
  return lineSpec({ values: [], x: 'step', y: 'loss', color: 'panel', title: 'Training loss (sigmoid cross-entropy)', logY: true, width: 420, height: 220 });
}

/** Dead and saturated hidden units of both panels over training (rows {step, percent, panel, kind}). */
export function unitsSpec(): VlSpec {
  const spec = lineSpec({ values: [], x: 'step', y: 'percent', color: 'panel', strokeDash: 'kind', title: 'Dead and saturated hidden units (%)', width: 420, height: 220 });
  spec.encoding.y.scale = { domain: [0, 100] };
  return spec;
}
