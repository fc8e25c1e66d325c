// The service as a process: boot errors and configuration, signals and reloads, crashes. One tap process (see
// test/suites/README.md).
import '../server/config.test.js'
import '../server/crash.test.js'
import '../server/logs-and-reload.test.js'
