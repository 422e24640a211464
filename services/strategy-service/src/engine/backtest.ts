/**
 * A long-only, single-position backtest over candle closes. A strategy yields the target exposure (0 or 1)
 * decided at each candle's close; the position changes at that close, paying `feeRate` on the traded
 * notional. Deterministic: the same candles and parameters always give the same result.
 */
import type { BacktestMetrics } from "@tradai/contracts";
import type { Candle } from "@tradai/service-common";

export interface Trade {
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  /** Net of fees, as a fraction of the equity committed (0.05 = +5 %). */
  return: number;
  /** True when the position was still open at the end and was closed at the last close. */
  closedAtEnd: boolean;
}

export interface BacktestOptions {
  /** Fee per side as a fraction of notional (0.001 = 10 bps). */
  feeRate: number;
  /** Fraction of equity committed per position (0..1]. */
  positionSize: number;
  /** Candles per year, to annualise the Sharpe ratio. */
  periodsPerYear: number;
}

export interface BacktestResult {
  metrics: BacktestMetrics;
  trades: Trade[];
  /** Equity after each candle, starting from 1. */
  equity: number[];
}

export function runBacktest(
  candles: readonly Candle[],
  exposure: readonly (0 | 1)[],
  options: BacktestOptions,
): BacktestResult {
  if (exposure.length !== candles.length) throw new Error("exposure must have one entry per candle");
  if (!(options.positionSize > 0 && options.positionSize <= 1))
    throw new Error("positionSize must be in (0, 1]");
  let cash = 1;
  let units = 0;
  let open: { time: number; price: number; committed: number } | undefined;
  const trades: Trade[] = [];
  const equity: number[] = [];

  const close = (candle: Candle, closedAtEnd: boolean) => {
    if (!open) return;
    const proceeds = units * candle.close * (1 - options.feeRate);
    cash += proceeds;
    trades.push({
      entryTime: open.time,
      entryPrice: open.price,
      exitTime: candle.time,
      exitPrice: candle.close,
      return: proceeds / open.committed - 1,
      closedAtEnd,
    });
    units = 0;
    open = undefined;
  };

  candles.forEach((candle, i) => {
    const target = exposure[i];
    if (target === 1 && !open) {
      const committed = cash * options.positionSize;
      units = (committed * (1 - options.feeRate)) / candle.close;
      cash -= committed;
      open = { time: candle.time, price: candle.close, committed };
    } else if (target === 0 && open) {
      close(candle, false);
    }
    equity.push(cash + units * candle.close);
  });
  const last = candles.at(-1);
  if (open && last) {
    close(last, true);
    equity[equity.length - 1] = cash;
  }
  return { metrics: metricsOf(equity, trades.length, options.periodsPerYear), trades, equity };
}

/** Total return, annualised Sharpe of per-candle returns (risk-free 0) and maximum drawdown. */
export function metricsOf(
  equity: readonly number[],
  trades: number,
  periodsPerYear: number,
): BacktestMetrics {
  const returns: number[] = [];
  let previous = 1;
  let peak = 1;
  let maxDrawdown = 0;
  for (const value of equity) {
    returns.push(value / previous - 1);
    previous = value;
    peak = Math.max(peak, value);
    maxDrawdown = Math.max(maxDrawdown, (peak - value) / peak);
  }
  const mean = returns.reduce((a, b) => a + b, 0) / Math.max(returns.length, 1);
  const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / Math.max(returns.length - 1, 1);
  const std = Math.sqrt(variance);
  const sharpe = std > 0 ? (mean / std) * Math.sqrt(periodsPerYear) : 0;
  return {
    totalReturn: (equity.at(-1) ?? 1) - 1,
    sharpe: Number.isFinite(sharpe) ? sharpe : 0,
    maxDrawdown: Math.min(Math.max(maxDrawdown, 0), 1),
    trades,
  };
}
