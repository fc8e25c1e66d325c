// The analytics: roll-ups, orders, follow-on, surfaces, the stats route and its consumer on PostgreSQL. One tap process
// (see test/suites/README.md).
import '../analytics/auth.test.js'
import '../analytics/follow-on.test.js'
import '../analytics/intervals.test.js'
import '../analytics/orders.test.js'
import '../analytics/postgres-consumer.test.js'
import '../analytics/rollups.test.js'
import '../analytics/stats-route.test.js'
import '../analytics/surfaces.test.js'
