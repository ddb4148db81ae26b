import { useEffect, useState } from 'react';

/**
 * The time, updated every `intervalMs` while `active` (a countdown on screen); a fixed value
 * otherwise, so a component that shows no countdown never re-renders for it.
 */
export function useNow(active: boolean, intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}
