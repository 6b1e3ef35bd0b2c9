/**
 * Add an entry to an output record keyed by ids from the input (summaries by customer id,
 * promises by party). `record["__proto__"] = value` would set the record's prototype instead of
 * adding an entry (and the entry would vanish from the JSON), so that one key is defined as an
 * own property. The record keeps its ordinary prototype: it is handed to callers as plain data.
 */
export function setEntry<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}
