import { didYouMean } from './did-you-mean.js';
import { listText } from '../list-text.js';
import { joinPath } from './issues.js';

/**
 * The hint `issuesToErrors` adds to an unknown field found by `schema`, naming the object it is
 * in and the fields that object has: ` (calendar.businessHours has mon, tue, … and sun)`, or
 * ` (the configuration has calendar, plugins and policies)` at the top (`root`). The same words
 * at every depth, so a misspelt option deep in a policy's options says what it could have been
 * as a misspelt top-level key does, and the closest of them (`didYouMean`): ` (calendar has timeZone,
 * businessHours and holidays). Did you mean "timeZone"?`. Empty where the schema cannot be read (a plugin's zod 3).
 */
export function knownFieldsHint(schema: unknown, prefix: readonly PropertyKey[], root: string): (parent: readonly PropertyKey[], key: string, given: unknown) => string {
  return (parent, key, given) => {
    const fields = knownFields(schema, parent);
    if (fields === undefined) return '';
    const where = [...prefix, ...parent];
    return ` (${where.length === 0 ? root : joinPath(where)} has ${fields.length === 0 ? 'no fields' : listText(fields)})${didYouMean(key, fields, given, 'own-key')}`;
  };
}

/** The keys of the object schema at `path` within `schema` (zod 4), or undefined if there is none to be found. */
export function knownFields(schema: unknown, path: readonly PropertyKey[]): readonly string[] | undefined {
  let def = unwrapped(schema);
  for (const step of path) {
    if (def === undefined) return undefined;
    if (def.type === 'object' && typeof step === 'string') def = Object.hasOwn(def.shape ?? {}, step) ? unwrapped(def.shape?.[step]) : undefined;
    else if (def.type === 'record') def = unwrapped(def.valueType);
    else if (def.type === 'array' && typeof step === 'number') def = unwrapped(def.element);
    else if (def.type === 'tuple' && typeof step === 'number') def = unwrapped(def.items?.[step] ?? def.rest);
    else return undefined;
  }
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : undefined;
}

/** The parts of a zod 4 schema definition (`schema._zod.def`) read here. */
interface Def {
  readonly type: string;
  readonly shape?: Readonly<Record<string, unknown>>;
  readonly innerType?: unknown;
  readonly in?: unknown;
  readonly out?: unknown;
  readonly getter?: () => unknown;
  readonly valueType?: unknown;
  readonly element?: unknown;
  readonly items?: readonly unknown[];
  readonly rest?: unknown;
}

/** The definition under wrappers that do not change an object's keys (optional, default, a transform after it…). */
function unwrapped(schema: unknown): Def | undefined {
  // Bounded: a lazy schema could return itself.
  for (let i = 0; i < 64; i++) {
    const def = (schema as { _zod?: { def?: Def } } | null | undefined)?._zod?.def;
    if (def === undefined || typeof def.type !== 'string') return undefined;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'nonoptional':
      case 'readonly':
      case 'catch':
        schema = def.innerType;
        break;
      case 'pipe':
        // `.transform()` is a pipe from the schema; `z.preprocess()` a pipe into it.
        schema = unwrapped(def.in)?.type === 'transform' ? def.out : def.in;
        break;
      case 'lazy':
        schema = def.getter?.();
        break;
      default:
        return def;
    }
  }
  return undefined;
}
