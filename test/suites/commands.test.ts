// The commands' help and the token minter; the documents checked against the code. One tap process (see
// test/suites/README.md).
import '../commands/help.test.js'
import '../commands/mint-token.test.js'
import '../docs/configuration.test.js'
import '../docs/file-references.test.js'
import '../docs/suites.test.js'
