/**
 * npm run docs: the markdown rendered from the registry — the README's compact activation table,
 * and docs/activations.md's full table and names-and-layers table — written between markers.
 * __tests__/docs.test.ts fails when a page is not current.
 */
import type { AnyDefinition, Kink } from '../src/definition';
import { definitions } from '../src/definitions';
import { activationNamesOf, LAYER_PREFIX, NAME_PREFIX } from '../src/layers';
import { pascal } from '../src/layers/common';
import { resolveDefinitionParams } from '../src/engine/op';
import type { ParamSpec } from '../src/params';
import * as fs from 'fs';
import * as path from 'path';
import { docPath, README_PATH, updateSection } from './lib/sections';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const fmt = (v: unknown) => (v === null ? 'none' : String(v));

function defaultsCell(def: AnyDefinition): string {
  const entries = Object.entries(def.params as Record<string, ParamSpec>);
  if (!entries.length) return '—';
  return entries
    .map(([k, s]) => {
      const others = Object.entries(s.otherDefaults ?? {})
        .filter(([, v]) => v !== s.default)
        .map(([fw, v]) => `${fw === 'torch' ? 'PyTorch' : fw === 'keras' ? 'Keras' : 'tfjs'} ${v === null ? 'required' : fmt(v)}`);
      const foreign = Object.entries(s.names ?? {})
        .filter(([, n]) => n !== k)
        .map(([fw, n]) => `${fw === 'torch' ? 'PyTorch' : fw === 'keras' ? 'Keras' : 'tfjs'}: ${n}`);
      const notes = [...foreign, ...others];
      return `${k}=${fmt(s.default)}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    })
    .join('; ');
}

function kinkText(k: Kink): string {
  const what = k.orders.includes(0) ? 'jump' : k.orders.includes(1) ? "f′ jumps" : "f″ jumps";
  const side = k.side === 'mean' ? 'mean of both sides' : `${k.side} limit`;
  return `x=${k.at}: ${what}, ${side}`;
}

/** The activation table: formula, derivative, defaults, names, tfjs equivalent, kinks, paper. */
export function renderActivationTable(): string {
  const header =
    '| id | f(x) | f′(x) | parameters (defaults) | Keras 3 / PyTorch names | tfjs built-in | kinks at defaults (our value there) | reference |\n' +
    '|---|---|---|---|---|---|---|---|';
  const rows = (definitions as readonly AnyDefinition[]).map((def) => {
    const p = resolveDefinitionParams(def, {});
    const keras = (def.aliases.keras ?? []).map((n) => `\`${n}\``).join(', ');
    const torch = (def.aliases.torch ?? []).map((n) => `\`${n}\``).join(', ');
    const names = [keras && `Keras ${keras}`, torch && `PyTorch ${torch}`].filter(Boolean);
    const builtin = def.builtin?.tfjsActivation
      ? `'${def.builtin.tfjsActivation}' (same function)`
      : def.builtin?.tfjsOp
        ? `tf.${def.builtin.tfjsOp} (same function)`
        : '—';
    const kinks = def.kinks(p).map(kinkText).join('; ') || 'smooth';
    return `| \`${def.id}\` | ${cell(def.formula.forward)} | ${cell(def.formula.derivative)} | ${cell(defaultsCell(def))} | ${names.join('; ') || '—'} | ${builtin} | ${cell(kinks)} | ${def.reference.citation} |`;
  });
  return [header, ...rows].join('\n');
}

/** Every string name and layer class, per activation. */
export function renderNamesTable(): string {
  const header = '| id | layer (`act.layers.<id>()`), class name | names for `activation:` |\n|---|---|---|';
  const rows = (definitions as readonly AnyDefinition[]).map((def) => {
    const names = activationNamesOf(def).map((n) => `\`${n}\``).join(', ');
    return `| \`${def.id}\` | \`act.layers.${def.id}()\`, \`${LAYER_PREFIX}${pascal(def.id)}\` | ${names} |`;
  });
  return [header, ...rows].join('\n') + `\n\n\`act.name(id)\` returns \`'${NAME_PREFIX}<id>'\`, the name that always means this plugin's implementation.`;
}

/** The README's compact table: one line per activation with its formula, defaults and paper. */
export function renderCompactTable(): string {
  const header = '| id | f(x) | parameters (defaults) | reference |\n|---|---|---|---|';
  const rows = (definitions as readonly AnyDefinition[]).map((def) => {
    const params = Object.entries(def.params as Record<string, ParamSpec>).map(([k, s]) => `${k}=${fmt(s.default)}`).join(', ');
    return `| \`${def.id}\` | ${cell(def.formula.forward)} | ${params || '—'} | ${def.reference.citation} |`;
  });
  return [header, ...rows].join('\n');
}

/** One line of text for a JSDoc comment (no comment terminators). */
const jsdoc = (t: string) => t.replace(/\*\//g, '*\u2215').replace(/\n/g, ' ');

/** The JSDoc block of one activation, for ops.<id> and layers.<id> hovers. */
function apiDoc(def: AnyDefinition, what: 'op' | 'layer'): string {
  const p = resolveDefinitionParams(def, {});
  const params = Object.entries(def.params as Record<string, ParamSpec>)
    .map(([k, spec]) => ` * @param ${what === 'op' ? 'params' : 'args'}.${k} ${jsdoc(spec.doc)} Default: ${fmt(spec.default)}.`);
  const kinks = def.kinks(p).map(kinkText).join('; ');
  const usage = what === 'op'
    ? ` * @example act.ops.${def.id}(x${Object.keys(def.params).length ? ', { ... }' : ''})`
    : ` * @example model.add(act.layers.${def.id}(${Object.keys(def.params).length ? '{ ... }' : ''}))`;
  return [
    '  /**',
    ` * ${jsdoc(def.title)} — ${jsdoc(def.summary)}`,
    ' *',
    ` * ${jsdoc(def.formula.forward)}`,
    ` * ${jsdoc(def.formula.derivative)}`,
    ` * ${jsdoc(def.formula.secondDerivative)}`,
    ' *',
    ` * Range ${jsdoc(def.properties.range)}; ${def.properties.monotonic ? 'monotonic' : 'not monotonic'}; ${kinks ? `kinks: ${jsdoc(kinks)}` : 'smooth'}.`,
    ...(what === 'layer' ? [' * Any numeric parameter can be learned: `learnable: [name]`, optionally with `sharedAxes`.'] : []),
    ...params,
    usage,
    ` * @see ${def.reference.url} (${jsdoc(def.reference.citation.replace(/^\[([^\]]*)\].*$/, '$1'))})`,
    '   */',
  ].map((l, i) => (i === 0 ? l : `  ${l.trimStart().startsWith('*') ? ' ' + l.trimStart() : l}`)).join('\n');
}

/**
 * src/generated/api.ts: the interfaces behind act.ops and act.layers, one documented member per
 * activation, so that an editor's hover shows the formula, defaults, range and paper.
 */
export function renderApiTypes(): string {
  const defs = definitions as readonly AnyDefinition[];
  const member = (def: AnyDefinition, what: 'op' | 'layer') =>
    `${apiDoc(def, what)}\n  readonly ${def.id}: ${what === 'op' ? 'OpFor' : 'LayerFactoryFor'}<DefinitionOf<'${def.id}'>>;`;
  return [
    '// Generated from the registry by `npm run docs` (scripts/docs.ts); do not edit. A test keeps it current.',
    "import type { DefinitionOf } from '../registry';",
    "import type { LayerFactoryFor, OpFor } from './api-types';",
    '',
    '/** The ops, one per activation: `act.ops.<id>(x, params?)`. */',
    'export interface Ops {',
    defs.map((d) => member(d, 'op')).join('\n'),
    '}',
    '',
    '/** The element-wise activation layers, one per activation: `act.layers.<id>(args?)`. */',
    'export interface ElementwiseLayerFactories {',
    defs.map((d) => member(d, 'layer')).join('\n'),
    '}',
    '',
  ].join('\n');
}

export const API_TYPES_PATH = path.join(__dirname, '..', 'src', 'generated', 'api.ts');

/** Every generated registry section: [file, section name, body]. */
export function registrySections(): Array<[string, string, string]> {
  return [
    [README_PATH, 'activation-list', renderCompactTable()],
    [docPath('activations'), 'activations', renderActivationTable()],
    [docPath('activations'), 'names', renderNamesTable()],
  ];
}

if (require.main === module) {
  for (const [file, name, body] of registrySections()) updateSection(file, name, body);
  fs.mkdirSync(path.dirname(API_TYPES_PATH), { recursive: true });
  fs.writeFileSync(API_TYPES_PATH, renderApiTypes());
  console.log('README.md, docs/activations.md and src/generated/api.ts regenerated from the registry');
}
