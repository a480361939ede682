import type { Finding, SsoError } from '../errors/index.ts'

/** Receives what a verifier let through under an allowance, as a warning. */
export type WarningSink = (warning: Finding) => void

/**
 * A fact refused by default (SHA-1, a short RSA key, RSA 1.5 key transport, a certificate outside
 * its validity window) is thrown, or, when the configuration allows it, handed to `warn` with
 * the same code and a reason that says why it passed.
 */
export function refuseUnlessAllowed(
  error: SsoError,
  allowance: { allowed: boolean; because: string; warn: WarningSink | undefined },
): void {
  if (!allowance.allowed) throw error
  allowance.warn?.({
    ...error.toFinding(),
    reason: `${error.reason}; accepted: ${allowance.because}`,
  })
}
