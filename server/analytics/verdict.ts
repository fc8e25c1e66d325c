// The plain sentence per experiment arm, in the contract's wording, so the page and the API say the same thing.
import { checkoutsNeeded, type Difference, type Moments } from './intervals.js'

const money = (x: number) => x.toFixed(2)

/**
 * "20-off earns 2.27 more per checkout than showing nothing, 95 % interval 1.81 to 2.73", or how much data is missing.
 */
export function verdictFor(arm: string, lift: Difference, exposed: Moments, holdout: Moments): string {
  if (lift.significant) {
    const more = lift.value >= 0
    return (
      `${arm} earns ${money(Math.abs(lift.value))} ${more ? 'more' : 'less'} per checkout than showing nothing, ` +
      `95 % interval ${money(lift.low)} to ${money(lift.high)}`
    )
  }
  const perArm = checkoutsNeeded(exposed, holdout)
  if (perArm === null) return `not enough data yet: no difference seen in ${exposed.n + holdout.n} checkouts`
  const more = Math.max(0, perArm - exposed.n) + Math.max(0, perArm - holdout.n)
  return `not enough data yet: about ${Math.max(1, more)} more checkouts needed`
}
