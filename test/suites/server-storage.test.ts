// Storage on SQLite and PostgreSQL: the contract, migrations, outages, copying between them. One tap process (see
// test/suites/README.md).
import '../server/database-outage.test.js'
import '../server/db-copy.test.js'
import '../server/migrations.test.js'
import '../server/service-databases.test.js'
import '../server/storage.test.js'
import '../server/storage-contract.test.js'
