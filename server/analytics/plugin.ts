// `fastify.analytics`: the consumer that keeps the roll-ups current (on a short timer, and before every report) and
// the report reader.
import fp from 'fastify-plugin'
import { AnalyticsConsumer } from './consumer.js'
import { StatsReader } from './report.js'

const INTERVAL_MS = 2000

export type Analytics = {
  consumer: AnalyticsConsumer
  reader: StatsReader
  /** Commits queued writes, then reads every new row: a report that follows sees everything answered before it. */
  catchUp(): void
}

declare module 'fastify' {
  interface FastifyInstance {
    analytics: Analytics
  }
}

export default fp(
  async (fastify) => {
    const { sqlite } = fastify.database
    const consumer = new AnalyticsConsumer(sqlite)
    const reader = new StatsReader(sqlite)
    const analytics: Analytics = {
      consumer,
      reader,
      catchUp() {
        fastify.database.flush()
        consumer.catchUp()
      }
    }
    fastify.decorate('analytics', analytics)
    let closing = false
    const timer = setInterval(() => {
      if (closing) return
      try {
        analytics.catchUp()
      } catch (err) {
        // A busy database (another process writing) is retried on the next tick; reports catch up themselves.
        fastify.log.warn({ err }, 'analytics catch-up failed; retrying')
      }
    }, INTERVAL_MS)
    timer.unref()
    fastify.addHook('onClose', async () => {
      closing = true
      clearInterval(timer)
    })
  },
  { name: 'encore-analytics', fastify: '5.x', dependencies: ['encore-db'] }
)
