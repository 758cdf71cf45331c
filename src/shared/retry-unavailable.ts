import { isDatabaseUnavailable } from './database-unavailable';

/**
 * Runs `write` again while the database is unavailable, up to `forMs`: for a write that records something already
 * done outside (a webhook sent), where giving up would make the job do it a second time.
 */
export async function retryWhileUnavailable<T>(write: () => Promise<T>, forMs = 30_000): Promise<T> {
  const until = Date.now() + forMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      return await write();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() + delay > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
