/**
 * `JSON.stringify(value, null, 2)` as a sequence of pieces, byte for byte the same text once
 * joined: the top `levels` of arrays and plain objects are walked, everything below is stringified
 * whole. A snapshot of a million events prints as one piece per finding and per customer, so the
 * output is never held as one string (hundreds of megabytes, several times over while it is built).
 */
export function* jsonChunks(value: unknown, levels = 2): Generator<string> {
  if (walkable(value) && levels > 0) yield* walk(value, levels, '');
  else yield String(stringify(value, ''));
  yield '\n';
}

function* walk(value: object, levels: number, indent: string): Generator<string, void> {
  const inner = `${indent}  `;
  let first = true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      yield `${first ? '[' : ','}\n${inner}`;
      first = false;
      // As JSON.stringify does: an element without a JSON form (undefined, a function) is null.
      yield* member(value[i], levels - 1, inner, 'null');
    }
    yield first ? '[]' : `\n${indent}]`;
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const nested = walkable(item) && levels > 1;
    const text = nested ? '' : stringify(item, inner);
    // A member without a JSON form is left out, again as JSON.stringify does.
    if (text === undefined) continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    if (nested) yield* walk(item, levels - 1, inner);
    else yield text;
  }
  yield first ? '{}' : `\n${indent}}`;
}

function* member(item: unknown, levels: number, indent: string, missing: string): Generator<string, void> {
  if (walkable(item) && levels > 0) yield* walk(item, levels, indent);
  else yield stringify(item, indent) ?? missing;
}

/**
 * One value's pretty JSON, its lines indented for its depth. JSON.stringify escapes every newline
 * inside a string, so each newline in its output is a line break to re-indent.
 */
function stringify(value: unknown, indent: string): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  return indent === '' || text === undefined ? text : text.replaceAll('\n', `\n${indent}`);
}

/** Arrays and plain objects without `toJSON`: their JSON text is made of their members' text. */
function walkable(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
