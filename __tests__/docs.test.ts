/**
 * The README is generated where it describes the registry: its activation and names tables must
 * equal what the registry renders now (run `npm run docs` after changing a definition).
 */
import * as fs from 'fs';
import './helpers/backends';
import * as act from '../src';
import { renderActivationTable, renderNamesTable } from '../src/docs';
import { README_PATH, readSection } from '../demos/lib/readme';

const readme = fs.readFileSync(README_PATH, 'utf8');

describe('README', () => {
  it('activation table equals the registry rendering (npm run docs)', () => {
    expect(readSection(readme, 'activations')?.trim()).toBe(renderActivationTable().trim());
  });
  it('names and layers table equals the registry rendering (npm run docs)', () => {
    expect(readSection(readme, 'names')?.trim()).toBe(renderNamesTable().trim());
  });
  it('mentions every activation id', () => {
    for (const id of act.list()) expect(readme).toContain(`\`${id}\``);
  });
  it('shows the set-up and main commands', () => {
    for (const cmd of ['npm install', 'npm test', 'npm run demo']) expect(readme).toContain(cmd);
  });
});
