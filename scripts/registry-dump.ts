/**
 * npm run registry:dump — writes __tests__/fixtures/registry.json: what the mpmath reference
 * generator (__tests__/fixtures/generate_reference.py) needs from the registry, so that only each
 * activation's closed form is written by hand in Python: ids in catalogue order, and per parameter
 * set (the defaults, then the definition's testing.referenceParams) the full parameters and the kinks
 * (where an order is a convention, so the fixtures hold no truth there). A test keeps it current.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AnyDefinition, Kink, ParamValues } from '../src/definition';
import { definitions } from '../src/definitions';
import { resolveDefinitionParams } from '../src/engine/op';

export const REGISTRY_DUMP_PATH = path.join(__dirname, '..', '__tests__', 'fixtures', 'registry.json');

export interface DumpedCase {
  /** The parameters as given (empty for the defaults), which is how the fixtures name a case. */
  given: ParamValues;
  /** Every parameter, defaults filled in. */
  params: ParamValues;
  /** Kink points per order: 0 = the value jumps, 1 = f′, 2 = f″. */
  kinks: { 0: number[]; 1: number[]; 2: number[] };
}

export interface RegistryDump {
  generator: string;
  activations: Array<{ id: string; cases: DumpedCase[] }>;
}

function kinksByOrder(kinks: Kink[]): DumpedCase['kinks'] {
  const out: DumpedCase['kinks'] = { 0: [], 1: [], 2: [] };
  for (const k of kinks) for (const order of k.orders) out[order].push(k.at);
  return out;
}

/** The dump of the registry as it is now. */
export function registryDump(): RegistryDump {
  return {
    generator: 'scripts/registry-dump.ts',
    activations: (definitions as readonly AnyDefinition[]).map((def) => ({
      id: def.id,
      cases: [{}, ...def.testing.referenceParams].map((given) => {
        const params = resolveDefinitionParams(def, given) as ParamValues;
        return { given, params, kinks: kinksByOrder(def.kinks(params)) };
      }),
    })),
  };
}

export const renderDump = (dump: RegistryDump): string => JSON.stringify(dump, null, 1) + '\n';

if (require.main === module) {
  fs.writeFileSync(REGISTRY_DUMP_PATH, renderDump(registryDump()));
  console.log(`wrote ${path.relative(process.cwd(), REGISTRY_DUMP_PATH)}`);
}
