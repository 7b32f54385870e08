// Retrying a call while its failure is one that time cures (a chain still locked, a dependency not
// yet arrived), up to a deadline, with a pause between attempts.

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function retryWhile<T>(attempt: () => Promise<T>, retryable: (error: unknown) => boolean, deadline: number, pauseMs: number): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!retryable(error) || Date.now() > deadline) throw error;
      await sleep(pauseMs);
    }
  }
}
