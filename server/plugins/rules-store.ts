// The ruleset being served, swapped atomically on reload (admin endpoint, SIGHUP, or file watching in development).
import fp from 'fastify-plugin'
import { watch, type FSWatcher } from 'chokidar'
import type { FastifyBaseLogger } from 'fastify'
import {
  diffRulesets,
  formatDiagnostics,
  loadRulesDir,
  loadRulesFromFiles,
  type Diagnostic,
  type Ruleset
} from '../rules/index.js'
import type { Storage } from '../db/storage.js'

export type ReloadOutcome =
  | {
      ok: true
      hash: string
      count: number
      loadedAt: string
      unchanged: boolean
      added: string[]
      changed: string[]
      removed: string[]
      warnings: Diagnostic[]
      ms: number
    }
  | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[]; report: string; ms: number }

/** Holds the current ruleset; a request reads it once and finishes on that ruleset whatever reloads meanwhile. */
export class RulesStore {
  private ruleset: Ruleset
  private running: Promise<ReloadOutcome> | null = null
  private queued: Promise<ReloadOutcome> | null = null
  private readonly byHash = new Map<string, Ruleset>()
  private readonly dir: string
  private readonly storage: Storage
  private readonly log: FastifyBaseLogger

  /** Call `remember()` before serving: the first ruleset is stored like every later one. */
  constructor(dir: string, initial: Ruleset, storage: Storage, log: FastifyBaseLogger) {
    this.dir = dir
    this.ruleset = initial
    this.storage = storage
    this.log = log
  }

  /** Stores the current ruleset, so decisions made with it can be explained after later reloads. */
  remember(): Promise<void> {
    return this.storage.saveRuleset(this.ruleset.hash, this.ruleset.files, this.ruleset.count)
  }

  current(): Ruleset {
    return this.ruleset
  }

  /** Reloads the directory; concurrent calls share one reload plus at most one follow-up that sees the latest files. */
  reload(): Promise<ReloadOutcome> {
    if (this.running === null) {
      this.running = this.load().finally(() => {
        this.running = null
      })
      return this.running
    }
    if (this.queued === null) {
      this.queued = this.running
        .catch(() => undefined)
        .then(() => {
          this.queued = null
          return this.reload()
        })
    }
    return this.queued
  }

  private async load(): Promise<ReloadOutcome> {
    const started = performance.now()
    const result = await loadRulesDir(this.dir)
    const ms = Math.round((performance.now() - started) * 10) / 10
    if (!result.ok) {
      const report = formatDiagnostics([...result.errors, ...result.warnings], { color: false })
      this.log.error(`rules reload failed, still serving ${this.ruleset.hash.slice(0, 12)}:\n${report}`)
      return { ok: false, errors: result.errors, warnings: result.warnings, report, ms }
    }
    const prev = this.ruleset
    const next = result.ruleset
    if (next.hash === prev.hash) {
      return {
        ok: true,
        hash: prev.hash,
        count: prev.count,
        loadedAt: prev.loadedAt,
        unchanged: true,
        added: [],
        changed: [],
        removed: [],
        warnings: result.warnings,
        ms
      }
    }
    await this.storage.saveRuleset(next.hash, next.files, next.count)
    const diff = diffRulesets(prev, next)
    this.ruleset = next
    this.log.info(
      { hash: next.hash, count: next.count, ...diff, ms },
      `rules reloaded in ${ms} ms: +${diff.added.length} ~${diff.changed.length} -${diff.removed.length}`
    )
    if (result.warnings.length > 0)
      this.log.warn(`rules warnings:\n${formatDiagnostics(result.warnings, { color: false })}`)
    return {
      ok: true,
      hash: next.hash,
      count: next.count,
      loadedAt: next.loadedAt,
      unchanged: false,
      ...diff,
      warnings: result.warnings,
      ms
    }
  }

  /** A ruleset this service served before, rebuilt from SQLite (for explanations); null when unknown. */
  async byStoredHash(hash: string): Promise<Ruleset | null> {
    if (hash === this.ruleset.hash) return this.ruleset
    const cached = this.byHash.get(hash)
    if (cached) return cached
    const files = await this.storage.rulesetFiles(hash)
    if (files === null) return null
    const loaded = loadRulesFromFiles(files)
    if (!loaded.ok) return null
    if (this.byHash.size >= 8) this.byHash.delete(this.byHash.keys().next().value as string)
    this.byHash.set(hash, loaded.ruleset)
    return loaded.ruleset
  }
}

export class RulesLoadError extends Error {
  constructor(dir: string, report: string) {
    super(`the rules in ${dir} are invalid:\n${report}`)
    this.name = 'RulesLoadError'
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    rules: RulesStore
  }
}

export type RulesStoreOptions = { rulesDir: string; watch?: boolean }

export default fp<RulesStoreOptions>(
  async (fastify, opts) => {
    const first = await loadRulesDir(opts.rulesDir)
    if (!first.ok)
      throw new RulesLoadError(opts.rulesDir, formatDiagnostics([...first.errors, ...first.warnings], { color: false }))
    if (first.warnings.length > 0)
      fastify.log.warn(`rules warnings:\n${formatDiagnostics(first.warnings, { color: false })}`)
    const rules = new RulesStore(opts.rulesDir, first.ruleset, fastify.storage, fastify.log)
    await rules.remember()
    fastify.decorate('rules', rules)
    fastify.log.info(
      { hash: first.ruleset.hash, count: first.ruleset.count },
      `serving ${first.ruleset.count} rules from ${opts.rulesDir}`
    )

    if (opts.watch) {
      let timer: NodeJS.Timeout | undefined
      const watcher: FSWatcher = watch(opts.rulesDir, { ignoreInitial: true })
      // Editors write a file in several steps: wait for them to settle, then reload once.
      watcher.on('all', () => {
        clearTimeout(timer)
        timer = setTimeout(() => {
          rules.reload().catch((err: unknown) => fastify.log.error({ err }, 'rules reload failed'))
        }, 150)
      })
      fastify.addHook('onClose', async () => {
        clearTimeout(timer)
        await watcher.close()
      })
      // Ready means watching: an edit made once the app is ready is seen, not lost while chokidar scans.
      await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
    }
  },
  { name: 'encore-rules', dependencies: ['encore-db'], fastify: '5.x' }
)
