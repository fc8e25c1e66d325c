// The contract's intervals against values worked out by hand (z = 1.96; the arithmetic is written next to each).
import t from 'tap'
import {
  meanInterval,
  round4,
  roundInterval,
  welch,
  wilson,
  checkoutsNeeded
} from '../../server/analytics/intervals.js'

const m = (xs: number[]) => ({
  n: xs.length,
  sum: xs.reduce((a, b) => a + b, 0),
  sumSq: xs.reduce((a, b) => a + b * b, 0)
})

t.test('Wilson score interval of 3 accepts out of 10 views', async (t) => {
  // p = 0.3, z² = 3.8416, z²/n = 0.38416, denominator 1.38416
  // centre = (0.3 + 3.8416/20) / 1.38416 = 0.49208 / 1.38416 = 0.355508
  // half = (1.96 / 1.38416) · √(0.3·0.7/10 + 3.8416/400) = 1.416021 · √0.030604 = 1.416021 · 0.174940 = 0.247719
  // low = 0.107789, high = 0.603227
  t.same(roundInterval(wilson(3, 10)), { value: 0.3, low: 0.1078, high: 0.6032 })
})

t.test('Wilson with no successes starts at 0, and is null without views', async (t) => {
  // p = 0, centre = (3.8416/10)/1.76832 = 0.217246, half = (1.96/1.76832)·√(3.8416/100) = 1.108397·0.196 = 0.217246
  // so low = 0 and high = 0.434491
  t.same(roundInterval(wilson(0, 5)), { value: 0, low: 0, high: 0.4345 })
  t.equal(wilson(0, 0), null)
})

t.test('revenue per checkout: mean ± 1.96·s/√n with the zeros included', async (t) => {
  // revenues 0, 0, 10, 20: n = 4, sum = 30, sum of squares = 500, mean = 7.5
  // s² = (500 − 30²/4) / 3 = 275/3 = 91.6667, s = 9.574271, s/√4 = 4.787136, 1.96 × 4.787136 = 9.382786
  // interval 7.5 ± 9.382786 = −1.882786 to 16.882786
  t.same(roundInterval(meanInterval(m([0, 0, 10, 20]))), { value: 7.5, low: -1.8828, high: 16.8828 })
})

t.test('revenue per checkout: null for no checkout, a point for one', async (t) => {
  t.equal(meanInterval(m([])), null)
  t.same(meanInterval(m([12.5])), { value: 12.5, low: 12.5, high: 12.5 })
})

t.test('Welch difference against the holdout, and when it is significant', async (t) => {
  // exposed 10, 20, 30: mean 20, s² = (1400 − 3600/3)/2 = 100
  // holdout 0, 0, 5, 5: mean 2.5, s² = (50 − 100/4)/3 = 8.3333
  // diff = 17.5, se = √(100/3 + 8.3333/4) = √35.416667 = 5.951190, 1.96·se = 11.664333
  // interval 5.835667 to 29.164333: excludes 0, significant
  t.same(roundInterval(welch(m([10, 20, 30]), m([0, 0, 5, 5]))), {
    value: 17.5,
    low: 5.8357,
    high: 29.1643,
    significant: true
  })
  // exposed 0, 10 (mean 5, s² = 50), holdout 0, 0 (mean 0, s² = 0): se = √(50/2) = 5, 1.96·5 = 9.8
  // interval −4.8 to 14.8 contains 0: not significant
  t.same(welch(m([0, 10]), m([0, 0])), { value: 5, low: 5 - 9.8, high: 5 + 9.8, significant: false })
  t.equal(welch(m([]), m([1])), null)
})

t.test('checkouts needed per arm for the observed difference to become significant', async (t) => {
  // 1.96² · (100 + 8.3333) / 17.5² = 3.8416 · 108.3333 / 306.25 = 1.3589 → 2
  t.equal(checkoutsNeeded(m([10, 20, 30]), m([0, 0, 5, 5])), 2)
  t.equal(checkoutsNeeded(m([1, 1]), m([1, 1])), null, 'no difference, no estimate')
})

t.test('rounding to 4 places never yields -0', async (t) => {
  t.equal(Object.is(round4(-0.00001), 0), true)
  t.equal(round4(1.23456), 1.2346)
})
