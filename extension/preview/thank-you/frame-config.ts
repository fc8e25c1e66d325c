// What the preview server writes into the Thank-you frame's page and what the frame reports back: shared by the Node
// side (page.ts) and the browser side (frame.ts) without pulling DOM code into the server's type-check.
import type { Locales } from '../../thank-you-harness/shopify-global.js'

export type FrameConfig = {
  page: string
  order: { id: string; number: string }
  locale: string
  locales: Locales
  remoteImages: boolean
}

export type FrameLogEntry = { ms: number; kind: string; summary: string; detail?: unknown }
