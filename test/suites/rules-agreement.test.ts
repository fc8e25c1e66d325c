// The fast path against plain json-rules-engine, rule by rule, on generated rulesets (CPU-bound: a process of its
// own). One tap process (see test/suites/README.md).
import '../rules/fast-path-agreement.test.js'
