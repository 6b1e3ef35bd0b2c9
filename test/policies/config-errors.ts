import { ConfigError, Engine, type AnyPolicy } from '../../src/index.js';

/** The `file:line: path: message` lines of the ConfigError these options raise (fails if none). */
export function configErrors(policy: AnyPolicy, options: unknown): string[] {
  try {
    new Engine({ policies: [policy], config: { policies: { [policy.name]: options } } });
  } catch (error) {
    if (error instanceof ConfigError) return error.errors.map(String);
    throw error;
  }
  throw new Error(`expected the options ${JSON.stringify(options)} to be rejected`);
}
