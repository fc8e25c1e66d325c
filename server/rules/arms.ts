// Deterministic experiment arm assignment: the same checkout and experiment always get the same arm.
import { createHash } from 'node:crypto'
import type { ArmSpec, ExperimentSpec } from './types.js'

/** A number in [0, 1) from sha256(experiment name + "\n" + referenceId). */
export function armBucket(experimentName: string, referenceId: string): number {
  const digest = createHash('sha256').update(`${experimentName}\n${referenceId}`).digest()
  return digest.readUInt32BE(0) / 0x1_0000_0000
}

/** Walks the arms' cumulative weights; weights that do not sum to 100 are used proportionally. */
export function assignArm(experiment: ExperimentSpec, referenceId: string): ArmSpec | null {
  const total = experiment.arms.reduce((n, a) => n + Math.max(0, a.weight), 0)
  if (total <= 0) return null
  const point = armBucket(experiment.name, referenceId) * total
  let cumulative = 0
  let last: ArmSpec | null = null
  for (const arm of experiment.arms) {
    if (arm.weight <= 0) continue
    cumulative += arm.weight
    last = arm
    if (point < cumulative) return arm
  }
  return last
}
