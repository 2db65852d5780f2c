/**
 * Finds the most recent swing point of [start, end): the largest index i with `lookback`
 * candles on both sides inside the window whose value is the extreme of the 2·lookback+1
 * values centred on it. Linear time: a monotonic deque scanned from the end, stopping at the
 * first hit. Returns -1 when there is none.
 */
let deque = new Int32Array(1024);

export function lastSwing(
  values: Float64Array,
  start: number,
  end: number,
  lookback: number,
  kind: "high" | "low",
): number {
  const width = 2 * lookback + 1;
  if (end - start < width) return -1;
  if (deque.length < end - start) deque = new Int32Array(end - start);
  const sign = kind === "high" ? 1 : -1;
  let head = 0;
  let tail = 0;
  for (let j = end - 1; j >= start; j--) {
    const v = sign * (values[j] as number);
    // Keep the deque's values strictly decreasing from head to tail (head holds the extreme).
    while (tail > head && sign * (values[deque[tail - 1] as number] as number) <= v) tail--;
    deque[tail++] = j;
    const windowEnd = j + width - 1;
    if (windowEnd > end - 1) continue;
    while ((deque[head] as number) > windowEnd) head++;
    const centre = j + lookback;
    if (values[centre] === values[deque[head] as number]) return centre;
  }
  return -1;
}
