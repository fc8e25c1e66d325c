// The contract's 95 % intervals: Wilson for rates, the normal approximation for means, Welch for a difference.
import type { Interval } from '../../contract/admin.js'

export const Z95 = 1.96

/** A figure with its 95 % interval, as the report sends it. */
export type { Interval }
export type Difference = Interval & { significant: boolean }

/** Sufficient statistics of per-checkout revenue: count, sum and sum of squares (zeros included). */
export type Moments = { n: number; sum: number; sumSq: number }

/** Wilson score interval of `successes / trials`; null when there are no trials. */
export function wilson(successes: number, trials: number, z = Z95): Interval | null {
  if (trials <= 0) return null
  // Clamped: a rate is a proportion, whatever rounding or a missing event did to the counts.
  const p = Math.min(1, Math.max(0, successes / trials))
  const z2 = z * z
  const denom = 1 + z2 / trials
  const centre = (p + z2 / (2 * trials)) / denom
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) }
}

/** Sample variance (n − 1 in the denominator); 0 below two observations, never negative from rounding. */
export function sampleVariance(m: Moments): number {
  if (m.n < 2) return 0
  return Math.max(0, (m.sumSq - (m.sum * m.sum) / m.n) / (m.n - 1))
}

/** Mean ± z·s/√n; null when n = 0, low = high = value when n = 1. */
export function meanInterval(m: Moments, z = Z95): Interval | null {
  if (m.n <= 0) return null
  const mean = m.sum / m.n
  const half = z * Math.sqrt(sampleVariance(m) / m.n)
  return { value: mean, low: mean - half, high: mean + half }
}

/** (mean₁ − mean₂) ± z·√(s₁²/n₁ + s₂²/n₂); significant when the interval excludes 0. Null when either side is empty. */
export function welch(a: Moments, b: Moments, z = Z95): Difference | null {
  if (a.n <= 0 || b.n <= 0) return null
  const diff = a.sum / a.n - b.sum / b.n
  const half = z * Math.sqrt(sampleVariance(a) / a.n + sampleVariance(b) / b.n)
  const low = diff - half
  const high = diff + half
  return { value: diff, low, high, significant: low > 0 || high < 0 }
}

/** Four decimal places, as the contract asks ("or finer"); -0 becomes 0. */
export function round4(x: number): number {
  const r = Math.round(x * 10000) / 10000
  return r === 0 ? 0 : r
}

export function roundInterval<T extends Interval>(i: T | null): T | null {
  if (i === null) return null
  return { ...i, value: round4(i.value), low: round4(i.low), high: round4(i.high) }
}

/**
 * Checkouts per arm for the difference to reach significance if the observed means and spreads held: the smallest n
 * with z·√((s₁² + s₂²)/n) < |diff|. Null when there is no difference to detect.
 */
export function checkoutsNeeded(a: Moments, b: Moments, z = Z95): number | null {
  if (a.n < 2 || b.n < 2) return null
  const diff = Math.abs(a.sum / a.n - b.sum / b.n)
  const v = sampleVariance(a) + sampleVariance(b)
  if (diff === 0 || v === 0) return null
  return Math.ceil((z * z * v) / (diff * diff))
}
