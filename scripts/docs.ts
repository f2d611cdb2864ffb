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
  console.log('README.md and docs/activations.md: activation tables regenerated from the registry');
}
