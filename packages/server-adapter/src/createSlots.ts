import { HttpError } from './HttpError.js';

/** Seconds a refused client is told to wait (Retry-After). */
export const BUSY_RETRY_AFTER_SECONDS = 10;

export interface Slots {
  /** Takes a slot or throws SERVER_BUSY (429 with Retry-After); call the returned function once done. */
  take(): () => void;
  readonly inUse: number;
}

/** A counter of heavy requests in flight that refuses instead of queueing: a queue would hold sockets and memory. */
export function createSlots(capacity: number, what: string): Slots {
  let inUse = 0;
  return {
    take() {
      if (inUse >= capacity) {
        throw new HttpError('SERVER_BUSY', `The server is busy with ${capacity} ${what} already; try again shortly.`, undefined, {
          retryAfter: BUSY_RETRY_AFTER_SECONDS,
          details: { limit: capacity, retryAfter: BUSY_RETRY_AFTER_SECONDS },
        });
      }
      inUse++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inUse--;
      };
    },
    get inUse() {
      return inUse;
    },
  };
}
