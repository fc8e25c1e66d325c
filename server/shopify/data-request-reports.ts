// Reads back the stored customers/data_request reports (written by webhooks.ts), newest first, for the operator.
import type { DataRequestReport } from './data-request.js'
import type { ShopifyStore } from './store.js'

export type StoredDataRequest = {
  id: number
  webhookId: string
  shop: string
  customerId: string
  requestId: string | null
  ordersRequested: number[]
  receivedAt: string
  report: DataRequestReport
}

export async function listDataRequestReports(
  store: ShopifyStore,
  opts: { shop: string | null; limit: number }
): Promise<StoredDataRequest[]> {
  // Two requests in the same millisecond still come back in arrival order, reversed.
  const rows = await store.dataRequests(opts)
  return rows.map((row) => {
    const report = JSON.parse(row.report) as DataRequestReport
    return {
      id: row.id,
      webhookId: row.webhookId,
      shop: row.shop,
      customerId: row.customerId,
      requestId: row.requestId,
      // The payload's orders_requested is kept in the report only (no column of its own).
      ordersRequested: Array.isArray(report.ordersRequested) ? report.ordersRequested : [],
      receivedAt: new Date(row.createdAt).toISOString(),
      report
    }
  })
}
