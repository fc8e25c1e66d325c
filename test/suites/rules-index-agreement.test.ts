// The fast path's index and selection against plain json-rules-engine on a bench-style ruleset (CPU-bound, and apart
// from rules-agreement so the two run side by side). One tap process (see test/suites/README.md).
import '../rules/fast-path-index-agreement.test.js'
