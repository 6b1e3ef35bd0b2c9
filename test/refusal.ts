/** The error `call` throws or rejects with, whichever it does (undefined when it succeeds). */
export async function refusal(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}
