/**
 * npm run docs: rewrites the generated README sections (activation table, names and layers) from
 * the registry. The docs test fails when the README is not current.
 */
import { renderActivationTable, renderNamesTable } from '../src/docs';
import { updateReadmeSection } from './lib/readme';

updateReadmeSection('activations', renderActivationTable());
updateReadmeSection('names', renderNamesTable());
console.log('README.md: activation and names tables regenerated from the registry');
