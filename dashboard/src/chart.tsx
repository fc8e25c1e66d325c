// The chart over time: checkouts and accepts (left axis) and revenue (right axis) per bucket, drawn by uPlot.
import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import type { SeriesPoint } from '../../contract/admin.js'

export type ChartProps = { series: SeriesPoint[]; currency: string | null; bucketMs: number; from: number; to: number }

/** Sums the series over rules and arms per bucket, filling empty buckets with zeros so lines do not skip days. */
export function chartData(p: ChartProps): uPlot.AlignedData {
  const start = Math.floor(p.from / p.bucketMs) * p.bucketMs
  const xs: number[] = []
  for (let t = start; t < p.to; t += p.bucketMs) xs.push(t / 1000)
  const index = new Map(xs.map((x, i) => [x, i]))
  const checkouts = xs.map(() => 0)
  const accepts = xs.map(() => 0)
  const revenue = xs.map(() => 0)
  for (const s of p.series) {
    const i = index.get(Date.parse(s.t) / 1000)
    if (i === undefined) continue
    checkouts[i]! += s.checkouts
    accepts[i]! += s.accepts
    if (s.currency === p.currency) revenue[i]! += s.revenue
  }
  return [xs, checkouts, accepts, revenue.map((r) => Math.round(r * 100) / 100)]
}

export function Chart(props: ChartProps) {
  const el = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!el.current) return
    const width = Math.max(320, el.current.clientWidth)
    const plot = new uPlot(
      {
        width,
        height: 260,
        scales: { x: { time: true }, money: {} },
        axes: [
          {},
          { label: 'checkouts' },
          { scale: 'money', side: 1, label: `revenue ${props.currency ?? ''}`, grid: { show: false } }
        ],
        series: [
          {},
          { label: 'Checkouts', stroke: '#2c6ecb', width: 2 },
          { label: 'Accepts', stroke: '#008060', width: 2 },
          { label: `Revenue ${props.currency ?? ''}`, stroke: '#b98900', width: 2, scale: 'money' }
        ]
      },
      chartData(props),
      el.current
    )
    return () => plot.destroy()
  }, [props.series, props.currency, props.bucketMs, props.from, props.to])
  return (
    <div
      ref={el}
      class="chart"
      role="img"
      aria-label="Checkouts, accepts and revenue over time; the same figures are in the table below"
    />
  )
}
