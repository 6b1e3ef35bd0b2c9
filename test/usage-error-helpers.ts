import { expect } from 'vitest';
import { UsageError } from '../src/index.js';

/** The UsageError `run` throws (fails the test when it throws something else or nothing). */
export function caught(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

/** The UsageError `run` rejects with (fails the test when it rejects with something else or resolves). */
export async function rejected(run: () => Promise<unknown>): Promise<UsageError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

/** A UsageError's fields only (no message): what a program branches on. */
export const details = (e: UsageError) => ({ path: e.path, rule: e.rule, customerId: e.customerId });
