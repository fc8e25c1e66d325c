// The rules module's public API: load, validate, explain and decide. Imports nothing from Fastify.
export type {
  History,
  Diagnostic,
  Ruleset,
  RuleSpec,
  LoadResult,
  CatalogFacts,
  Facts,
  CartFact,
  LineItemFact,
  Decision,
  DecideOptions,
  ResolvedOffer,
  Explanation,
  RuleExplanation,
  ConditionExplanation,
  RuleStatus,
  ConditionNode,
  NamedCondition,
  OfferSpec,
  RuleTest,
  Surface
} from './types.js'
export { loadRulesDir, loadRulesFromFiles } from './load.js'
export { formatDiagnostics } from './format-diagnostics.js'
export { diffRulesets } from './diff-rulesets.js'
export { buildFacts, MAX_ACCEPTED_OFFERS, MINIMUM_ORDER_TOTAL, SURFACES } from './facts.js'
export { decide } from './decide.js'
export { RulesError, ERROR_CODES, WARNING_CODES, type RulesErrorCode } from './errors.js'
