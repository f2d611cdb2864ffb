/**
 * The docs are generated where they describe the registry: the README's compact table and the
 * tables of docs/activations.md must equal what the registry renders now (run `npm run docs` after
 * changing a definition).
 */
import * as fs from 'fs';
import './helpers/backends';
import * as act from '../src';
import { API_TYPES_PATH, registrySections, renderApiTypes } from '../scripts/docs';
import { README_PATH, readSection } from '../scripts/lib/sections';

const readme = fs.readFileSync(README_PATH, 'utf8');

describe('generated docs', () => {
  it.each(registrySections().map(([file, name, body]) => [name, file, body]))(
    'section %s of %s equals the registry rendering (npm run docs)',
    (name, file, body) => {
      expect(readSection(fs.readFileSync(file, 'utf8'), name)?.trim()).toBe(body.trim());
    },
  );
  it('src/generated/api.ts (the documented types of act.ops and act.layers) is current (npm run docs)', () => {
    expect(fs.readFileSync(API_TYPES_PATH, 'utf8')).toBe(renderApiTypes());
  });
  it('the README mentions every activation id', () => {
    for (const id of act.list()) expect(readme).toContain(`\`${id}\``);
  });
  it('the README shows the set-up, test and main commands', () => {
    for (const cmd of ['npm install', 'npm test', 'npm run test:all', 'npm run demo']) expect(readme).toContain(cmd);
  });
  it('the README stays short (long generated pages live in docs/)', () => {
    expect(fs.statSync(README_PATH).size).toBeLessThanOrEqual(15 * 1024);
  });
});
