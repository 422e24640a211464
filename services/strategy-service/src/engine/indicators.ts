/** Indicators over a price series. Entries before an indicator has enough history are `undefined`. */

/** Simple moving average of `period` values ending at each index. */
export function sma(values: readonly number[], period: number): (number | undefined)[] {
  if (!Number.isInteger(period) || period < 1)
    throw new Error(`SMA period must be a positive integer, got ${period}`);
  const out: (number | undefined)[] = new Array(values.length).fill(undefined);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] as number;
    if (i >= period) sum -= values[i - period] as number;
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}

/** Wilder's RSI (0..100) over `period` changes. */
export function rsi(values: readonly number[], period: number): (number | undefined)[] {
  if (!Number.isInteger(period) || period < 1)
    throw new Error(`RSI period must be a positive integer, got ${period}`);
  const out: (number | undefined)[] = new Array(values.length).fill(undefined);
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < values.length; i++) {
    const change = (values[i] as number) - (values[i - 1] as number);
    const up = Math.max(change, 0);
    const down = Math.max(-change, 0);
    if (i <= period) {
      gain += up / period;
      loss += down / period;
    } else {
      gain = (gain * (period - 1) + up) / period;
      loss = (loss * (period - 1) + down) / period;
    }
    if (i >= period) out[i] = loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
  }
  return out;
}

/** Exponential moving average seeded with the SMA of the first `period` values. */
export function ema(values: readonly number[], period: number): (number | undefined)[] {
  if (!Number.isInteger(period) || period < 1)
    throw new Error(`EMA period must be a positive integer, got ${period}`);
  const out: (number | undefined)[] = new Array(values.length).fill(undefined);
  const alpha = 2 / (period + 1);
  let current: number | undefined;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (i < period) {
      sum += value;
      if (i === period - 1) current = sum / period;
    } else if (current !== undefined) {
      current = alpha * value + (1 - alpha) * current;
    }
    out[i] = current;
  }
  return out;
}
