// The Thank-you block in its host: a process of its own, because the file sets hooks on the root test (t.before,
// t.afterEach) that would run around every other file's tests. One tap process (see test/suites/README.md).
import '../thank-you/block.test.js'
