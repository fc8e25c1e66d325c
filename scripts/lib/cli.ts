// The CLI io and entry runner for scripts/: defined in server/cli.ts, since the service's own entry (server/server.ts)
// uses them too and the server imports nothing outside server/.
export { parseCommandArgs, processIo, recordingIo, runIfEntry, type EntryOptions, type Io } from '../../server/cli.js'
