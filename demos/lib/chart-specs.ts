/** vega-lite spec builders shared by the Node demos (rendered to SVG/PNG) and the browser playground (rendered live). */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type VlSpec = Record<string, any>;

/** Lines of y over x, one colour per `color`, optionally small multiples by `facet`. */
export function lineSpec(o: {
  values: object[];
  x: string;
  y: string;
  color: string;
  facet?: string;
  columns?: number;
  title: string;
  xTitle?: string;
  yTitle?: string;
  logY?: boolean;
  width?: number;
  height?: number;
  strokeDash?: string;
  points?: boolean;
}): VlSpec {
  const layer: VlSpec = {
    mark: { type: 'line', point: o.points ?? false, strokeWidth: 1.5, clip: true },
    encoding: {
      x: { field: o.x, type: 'quantitative', title: o.xTitle ?? o.x },
      y: { field: o.y, type: 'quantitative', title: o.yTitle ?? o.y, scale: o.logY ? { type: 'log' } : { zero: false } },
      color: { field: o.color, type: 'nominal', title: o.color },
      ...(o.strokeDash ? { strokeDash: { field: o.strokeDash, type: 'nominal' } } : {}),
    },
  };
  const size = { width: o.width ?? (o.facet ? 160 : 480), height: o.height ?? (o.facet ? 110 : 280) };
  if (o.facet) {
    return {
      title: o.title,
      data: { values: o.values },
      facet: { field: o.facet, type: 'nominal', title: null, sort: null },
      columns: o.columns ?? 5,
      spec: { ...size, ...layer },
      resolve: { scale: { y: 'independent' } },
    };
  }
  return { title: o.title, data: { values: o.values }, ...size, ...layer };
}
