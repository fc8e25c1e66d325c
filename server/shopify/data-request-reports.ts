// Reads back the stored customers/data_request reports (written by webhooks.ts), newest first, for the operator.
import { desc, eq } from 'drizzle-orm'
import { shopifyDataRequests } from './schema.js'
import type { DataRequestReport } from './data-request.js'
import type { Db } from './session-storage.js'

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

export function listDataRequestReports(db: Db, opts: { shop: string | null; limit: number }): StoredDataRequest[] {
  const rows = db
    .select()
    .from(shopifyDataRequests)
    .where(opts.shop === null ? undefined : eq(shopifyDataRequests.shop, opts.shop))
    // Two requests in the same millisecond still come back in arrival order, reversed.
    .orderBy(desc(shopifyDataRequests.createdAt), desc(shopifyDataRequests.id))
    .limit(opts.limit)
    .all()
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
