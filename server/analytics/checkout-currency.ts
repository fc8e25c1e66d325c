// Where a decision's shop currency is read from: the checkout's row, or the facts of decisions stored before it.

/**
 * An SQL expression over the decisions row aliased `d`: the shop currency of the checkout. The checkouts table holds
 * it; decisions stored before that table existed carry it inside their legacy facts (the verified input_data).
 */
export const DECISION_CURRENCY_SQL = `COALESCE(
  (SELECT c.currency FROM checkouts c WHERE c.reference_id = d.reference_id),
  json_extract(d.facts, '$.inputData.initialPurchase.totalPriceSet.shopMoney.currencyCode'))`

/** The same on PostgreSQL, over `d` and the checkout row `c` LEFT JOINed on the reference id. */
export const DECISION_CURRENCY_PG_SQL = `COALESCE(c.currency,
  (d.facts::jsonb) #>> '{inputData,initialPurchase,totalPriceSet,shopMoney,currencyCode}')`
