/**
 * tfjs-activations: importing this module registers every kernel and gradient with tfjs.
 * Use './base' for the same API without that side effect.
 */
import { register } from './base';

register();

export * from './base';
