// The service as several processes: three instances on one PostgreSQL, and reloads under concurrent load (the
// costliest files of the server, apart so they start early beside the others). One tap process (see
// test/suites/README.md).
import '../server/multi-instance.test.js'
import '../server/reload-under-load.test.js'
