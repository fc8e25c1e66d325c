// drizzle-kit configuration for both dialects: SQLite by default (`server/**/*schema.ts` -> migrations/sqlite),
// PostgreSQL with DB_DIALECT=postgres (`server/**/*schema.pg.ts` -> migrations/postgres); db:generate runs both.
import { defineConfig } from 'drizzle-kit'

export default process.env.DB_DIALECT === 'postgres'
  ? defineConfig({ dialect: 'postgresql', schema: './server/**/*schema.pg.ts', out: './migrations/postgres' })
  : defineConfig({ dialect: 'sqlite', schema: './server/**/*schema.ts', out: './migrations/sqlite' })
