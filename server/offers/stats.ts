// Per rule and arm: decisions, views, accepts, declines, applied, accept rate, revenue, and the difference against a
// holdout arm.
import { sql } from 'drizzle-orm'
import type { Db } from '../db/open-database.js'

export type ArmStats = {
  ruleId: string
  arm: string | null
  holdout: boolean
  decisions: number
  offers: number
  views: number
  accepts: number
  declines: number
  applied: number
  acceptRate: number | null
  revenue: number
  revenuePerDecision: number | null
  /** For an experiment with a holdout arm: this arm's revenue per decision minus the holdout's. */
  vsHoldout: {
    holdoutArm: string
    holdoutDecisions: number
    holdoutRevenuePerDecision: number
    difference: number
  } | null
}

type Row = Record<string, unknown>
const key = (ruleId: unknown, arm: unknown) => `${String(ruleId)}\u0000${arm === null ? '' : String(arm)}`
const round = (n: number) => Math.round(n * 10000) / 10000

export function statsBetween(db: Db, from: number, to: number): ArmStats[] {
  const base = db.all<Row>(sql`
    SELECT rule_id AS ruleId, arm, MAX(holdout) AS holdout, COUNT(*) AS decisions,
           SUM(offer IS NOT NULL) AS offers, SUM(answer = 'declined') AS declines
    FROM decisions WHERE rule_id IS NOT NULL AND created_at >= ${from} AND created_at < ${to}
    GROUP BY rule_id, arm ORDER BY rule_id, arm`)
  const evs = db.all<Row>(sql`
    SELECT rule_id AS ruleId, arm, type, COUNT(DISTINCT offer_id) AS n,
           SUM(CASE WHEN type = 'applied' THEN CAST(amount AS REAL) ELSE 0 END) AS revenue
    FROM events WHERE rule_id IS NOT NULL AND created_at >= ${from} AND created_at < ${to}
    GROUP BY rule_id, arm, type`)
  const accs = db.all<Row>(sql`
    SELECT rule_id AS ruleId, arm, COUNT(*) AS n FROM acceptances
    WHERE created_at >= ${from} AND created_at < ${to} GROUP BY rule_id, arm`)

  const out = new Map<string, ArmStats>()
  const get = (ruleId: unknown, arm: unknown): ArmStats => {
    const k = key(ruleId, arm)
    let s = out.get(k)
    if (!s) {
      s = {
        ruleId: String(ruleId),
        arm: arm === null ? null : String(arm),
        holdout: false,
        decisions: 0,
        offers: 0,
        views: 0,
        accepts: 0,
        declines: 0,
        applied: 0,
        acceptRate: null,
        revenue: 0,
        revenuePerDecision: null,
        vsHoldout: null
      }
      out.set(k, s)
    }
    return s
  }
  for (const r of base) {
    const s = get(r.ruleId, r.arm)
    s.holdout = Number(r.holdout) === 1
    s.decisions = Number(r.decisions)
    s.offers = Number(r.offers)
    s.declines = Number(r.declines)
  }
  for (const r of evs) {
    const s = get(r.ruleId, r.arm)
    const n = Number(r.n)
    if (r.type === 'viewed') s.views = n
    if (r.type === 'applied') {
      s.applied = n
      s.revenue = round(Number(r.revenue ?? 0))
    }
  }
  for (const r of accs) get(r.ruleId, r.arm).accepts = Number(r.n)

  const all = [...out.values()]
  for (const s of all) {
    s.acceptRate = s.views > 0 ? round(s.accepts / s.views) : null
    s.revenuePerDecision = s.decisions > 0 ? round(s.revenue / s.decisions) : null
  }
  for (const hold of all.filter((s) => s.holdout)) {
    const holdRpd = hold.decisions > 0 ? hold.revenue / hold.decisions : 0
    for (const s of all) {
      if (s.ruleId !== hold.ruleId || s.holdout) continue
      s.vsHoldout = {
        holdoutArm: hold.arm ?? '',
        holdoutDecisions: hold.decisions,
        holdoutRevenuePerDecision: round(holdRpd),
        difference: round((s.revenuePerDecision ?? 0) - holdRpd)
      }
    }
  }
  return all.sort((a, b) =>
    a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : String(a.arm) < String(b.arm) ? -1 : 1
  )
}
