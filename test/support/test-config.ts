// A configuration for tests: the development defaults loadConfig gives an empty environment, with overrides.
import { loadConfig, type Config } from '../../server/config.js'

export function testConfig(overrides: Partial<Config> = {}): Config {
  const { config } = loadConfig({ LOG_LEVEL: 'silent' })
  return { ...config, ...overrides }
}
