import type { Engine } from '../engine/engine.js';
import { adviseOnCustomTypes } from '../events/unknown-names.js';

/**
 * An unknown event type, when the CLI loaded no plugin, is said with how to load one: custom types
 * come only from plugins, and the library's words ("must be registered by a policy plugin") name
 * no flag. Set on the engine of the CLI's thread and of each worker thread alike, so a problem line
 * is the same however many threads check the input. With a plugin loaded, the library's words.
 */
export function adviseOnPlugins(engine: Engine, pluginsLoaded: number): void {
  if (pluginsLoaded > 0) return;
  adviseOnCustomTypes(engine.registry, 'Custom types come from policy plugins, and none is loaded: give --config <file> with the plugin in its "plugins", or --plugin <module>.');
}
