// The service as a process: boot errors, signals, crashes, reloads under load, several instances. One tap process (see
// test/suites/README.md).
import '../server/config.test.js'
import '../server/crash.test.js'
import '../server/logs-and-reload.test.js'
import '../server/multi-instance.test.js'
import '../server/reload-under-load.test.js'
