// Helpers for the extension's tests: the real bundle pointed at a service, fixtures with fresh referenceIds, the admin
// view.
import { join } from 'node:path'
import { cachedBundle } from './extension-bundle.js'
import { CheckoutSession, loadFixtures, type InputData } from '../../extension/harness/index.js'
import { SAMPLE_RULES_DIR, TEST_ADMIN_TOKEN, TEST_API_KEY, TEST_API_SECRET } from './server-app.js'

export { SAMPLE_RULES_DIR, TEST_ADMIN_TOKEN, TEST_API_KEY, TEST_API_SECRET }

/** The production bundle with ENCORE_APP_URL set to `appUrl` (built once per run: see extension-bundle.ts). */
export async function bundleFor(
  appUrl: string,
  opts: { timeoutsMs?: { offer?: number; event?: number } } = {}
): Promise<string> {
  return cachedBundle(appUrl, opts)
}

/** A sample checkout; a new referenceId makes it a checkout the service has never seen. */
export function fixture(name: string, referenceId?: string): InputData {
  const found = loadFixtures(SAMPLE_RULES_DIR)[name]
  if (!found) throw new Error(`no fixture ${name} in ${join(SAMPLE_RULES_DIR, 'fixtures')}`)
  const copy = structuredClone(found)
  if (referenceId) copy.initialPurchase.referenceId = referenceId
  return copy
}

/** Runs ShouldRender and, when it says so, Render: the page as the buyer first sees it. */
export async function openCheckout(
  appUrl: string,
  inputData: InputData,
  opts: { secret?: string; apiKey?: string; timeoutsMs?: { offer?: number; event?: number } } = {}
) {
  const session = new CheckoutSession({
    bundle: await bundleFor(appUrl, opts.timeoutsMs ? { timeoutsMs: opts.timeoutsMs } : {}),
    inputData,
    secret: opts.secret ?? TEST_API_SECRET,
    apiKey: opts.apiKey ?? TEST_API_KEY
  })
  const { render } = await session.shouldRender()
  if (render) await session.render()
  return { session, render }
}

export type StoredDecision = {
  /** The page that took the decision: post_purchase or thank_you. */
  surface: string
  ruleId: string | null
  arm: string | null
  after: { offerId: string; outcome: string | null } | null
  offer: { id: string; changes?: unknown } | null
  acceptance: { variantId: number; quantity: number; changes: unknown } | null
  events: { type: string; status: string | null; errors: unknown; amount: string | null }[]
}

/** What the service stored for a checkout, through its admin API. */
export async function storedDecisions(serviceUrl: string, referenceId: string): Promise<StoredDecision[]> {
  const res = await fetch(`${serviceUrl}/admin/decisions/${encodeURIComponent(referenceId)}`, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }
  })
  if (res.status !== 200) throw new Error(`admin decisions answered ${res.status}: ${await res.text()}`)
  return ((await res.json()) as { decisions: StoredDecision[] }).decisions
}

/** The accept button (the form's submit button) once its price is known. */
export function enabledAccept(session: CheckoutSession) {
  return session.waitFor(() => {
    const button = session.find('Button', (n) => n.props.submit === true)[0]
    return button?.props.disabled === false ? button : undefined
  }, 'an enabled accept button')
}

/** Taps Accept as soon as it can be tapped, and waits until the extension has settled. */
export async function pressAccept(session: CheckoutSession): Promise<void> {
  const button = await enabledAccept(session)
  await (button.props.onPress as () => unknown)()
  await session.idle()
}
