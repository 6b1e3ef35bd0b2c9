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

/** Members stringified together: one JSON.stringify call per this many, not one per member. */
const BATCH = 256;

function* walk(value: object, levels: number, indent: string): Generator<string, void> {
  if (levels <= 1) return yield* batches(value, indent);
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
 * An array or object whose members are all stringified whole, BATCH members per JSON.stringify.
 * A batch is stringified nested in as many arrays as `indent` is deep, so its members come out
 * already indented for their place; the wrappers and the batch's own brackets are cut off.
 */
function* batches(value: object, indent: string): Generator<string, void> {
  const array = Array.isArray(value);
  const entries = array ? undefined : Object.entries(value);
  const length = array ? (value as unknown[]).length : (entries as unknown[]).length;
  const depth = indent.length / 2;
  const inner = `${indent}  `;
  // "[\n  [\n    " ... before the batch's own bracket, "\n  ]\n]" after it.
  let head = 0;
  let tail = 0;
  for (let k = 0; k < depth; k++) {
    head += 2 + 2 * (k + 1);
    tail += 2 + 2 * k;
  }
  head += 2 + inner.length; // the batch's bracket, newline and first member's indent
  tail += 2 + indent.length; // newline, indent and the batch's closing bracket
  let first = true;
  for (let start = 0; start < length; start += BATCH) {
    let batch: unknown = array ? (value as unknown[]).slice(start, start + BATCH) : Object.fromEntries((entries as [string, unknown][]).slice(start, start + BATCH));
    for (let k = 0; k < depth; k++) batch = [batch];
    const text = JSON.stringify(batch, null, 2);
    // An object batch whose members all have no JSON form prints as {}: nothing to add.
    if (text.length < head + tail) continue;
    yield `${first ? (array ? '[' : '{') : ','}\n${inner}`;
    first = false;
    yield text.slice(head, text.length - tail);
  }
  yield first ? (array ? '[]' : '{}') : `\n${indent}${array ? ']' : '}'}`;
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
