import { type ErrorCode, errorCodes } from './codes.ts'

export { type ErrorCode, errorCodes } from './codes.ts'

/** Evidence is redacted, structured detail: never a token, an assertion, a password or a key. */
export type Evidence = Record<string, string | number | boolean | null | readonly string[]>

/** One validation finding: the object behind error pages, logs, diagnostics and report rows. */
export interface Finding {
  code: ErrorCode
  /** The check that failed, in the protocol's words (e.g. `AudienceRestriction`). */
  check: string
  /** One sentence for a person. */
  reason: string
  evidence: Evidence
}

export class SsoError extends Error implements Finding {
  readonly code: ErrorCode
  readonly check: string
  readonly reason: string
  readonly evidence: Evidence

  constructor(code: ErrorCode, check: string, reason: string, evidence: Evidence = {}) {
    super(`${code}: ${reason}`)
    this.name = 'SsoError'
    this.code = code
    this.check = check
    this.reason = reason
    this.evidence = evidence
  }

  get status(): number {
    return errorCodes[this.code].status
  }

  get hint(): string {
    return errorCodes[this.code].hint
  }

  toFinding(): Finding {
    return { code: this.code, check: this.check, reason: this.reason, evidence: this.evidence }
  }
}

export function isSsoError(value: unknown): value is SsoError {
  return value instanceof SsoError
}
