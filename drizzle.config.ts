// drizzle-kit configuration: every `*schema.ts` under server/ (the offer service's and the Shopify integration's
// tables).
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'sqlite',
  schema: './server/**/*schema.ts',
  out: './migrations'
})
