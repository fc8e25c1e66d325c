// The fast path against plain json-rules-engine on generated rulesets (CPU-bound, so a process of its own). One tap
// process (see test/suites/README.md).
import '../rules/fast-path-agreement.test.js'
import '../rules/fast-path-index-agreement.test.js'
