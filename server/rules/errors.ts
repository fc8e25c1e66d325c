// Stable error and diagnostic codes of the rules module, and the one error class it throws.

/** Codes of diagnostics that make a ruleset invalid. */
export const ERROR_CODES = {
  READ_FAILED: 'a file could not be read',
  JSON_PARSE: 'a file is not valid JSON',
  RULE_SCHEMA: 'a rule file does not match rule.schema.json',
  RULE_ID_MISMATCH: 'a rule id differs from its file name',
  CONDITION_SCHEMA: 'a named condition file does not match its schema',
  CONDITION_NAME_MISMATCH: 'a named condition name differs from its file name',
  CONDITION_CYCLE: 'named conditions refer to each other in a loop',
  UNKNOWN_CONDITION: 'a rule refers to a named condition that does not exist',
  UNKNOWN_OPERATOR: 'a condition uses an operator that does not exist',
  OPERATOR_VALUE: 'a condition value has the wrong shape for its operator',
  SCHEDULE_INVALID: 'a schedule starts after it ends',
  OFFER_INVALID: 'an offer (or an arm merged over it) is inconsistent',
  EXPERIMENT_INVALID: 'an experiment has duplicate arms or no arm with weight',
  FIXTURE_INVALID: 'a fixture lacks what every checkout has',
  TEST_SCHEMA: 'a test file does not match the test format',
  TEST_UNKNOWN_FIXTURE: 'a test names a fixture that does not exist',
  TEST_UNKNOWN_RULE: 'a test expects a rule that does not exist',
  NO_RULES_DIR: 'the rules directory does not exist'
} as const

/** Codes of diagnostics that leave the ruleset valid (rules:check exits 0). */
export const WARNING_CODES = {
  PRIORITY_TIE: 'two enabled rules that can match the same checkout share a priority',
  UNKNOWN_FACT: 'a condition uses a fact that does not exist',
  UNKNOWN_PATH: 'a condition uses a path that does not exist in its fact',
  OPERATOR_TYPE: "an operator cannot apply to the fact's type, or the value's type differs from the fact's",
  NEXT_MISSING: '`next` names a rule that does not exist',
  NEXT_LOOP: '`next` chains form a loop',
  WEIGHTS_SUM: 'experiment weights do not sum to 100',
  SCHEDULE_ENDED: 'a schedule has already ended',
  OFFER_IN_CART: 'a rule offers a product its own conditions require in the cart',
  VARIANT_LABEL_NOT_OFFERED: "a variant label names a variant outside the offer's allow-list",
  UNUSED_FILE: 'a file in the rules directory is not part of the layout and was ignored'
} as const

export type ErrorCode = keyof typeof ERROR_CODES
export type WarningCode = keyof typeof WARNING_CODES

/** Codes of RulesError: only INPUT_DATA_INVALID can be a client's doing (the service answers it with a 400). */
export type RulesErrorCode = 'INPUT_DATA_INVALID' | 'UNKNOWN_RULESET' | 'INVALID_OPTIONS'

/** Thrown only for broken invariants or input that no real checkout could produce. */
export class RulesError extends Error {
  readonly code: RulesErrorCode
  readonly pointer: string
  constructor(code: RulesErrorCode, message: string, pointer = '') {
    super(message)
    this.name = 'RulesError'
    this.code = code
    this.pointer = pointer
  }
}
