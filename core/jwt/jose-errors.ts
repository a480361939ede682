import { errors } from 'jose'
import { SsoError } from '../errors/index.ts'
import { claimTypeError, mistypedClaim } from './claim-types.ts'

interface ClaimExpectations {
  issuer?: string
  audience?: string
  now: number
  clockSkewMs: number
}

/**
 * Turns what jose throws while verifying a JWT into an SsoError with a stable code. jose's
 * messages never carry the token; the evidence here names the claim and what was expected.
 */
export function fromJoseError(
  error: unknown,
  label: string,
  expected: ClaimExpectations,
): SsoError {
  if (error instanceof SsoError) return error
  const now = Math.floor(expected.now / 1000)
  const skewSeconds = Math.floor(expected.clockSkewMs / 1000)
  if (error instanceof errors.JWTExpired) {
    return new SsoError('JWT_EXPIRED', 'exp', `the ${label} has expired`, {
      exp: numberOrNull(error.payload.exp),
      now,
      skewSeconds,
    })
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim.slice(0, 40)
    // jose compares `iss` and `aud` without checking their type: an object is no mismatch.
    if (error.reason === 'check_failed' && mistypedClaim(error.payload) === claim) {
      return claimTypeError(error.payload, claim, label)
    }
    if (error.reason === 'missing') {
      return new SsoError('JWT_CLAIM_MISSING', claim, `the ${label} carries no "${claim}" claim`, {
        claim,
      })
    }
    if (error.reason === 'check_failed' && claim === 'iss') {
      return new SsoError(
        'JWT_ISSUER_MISMATCH',
        'iss',
        `the ${label}'s issuer is not the configured one`,
        {
          expected: expected.issuer ?? null,
          received: typeof error.payload.iss === 'string' ? error.payload.iss.slice(0, 200) : null,
        },
      )
    }
    if (error.reason === 'check_failed' && claim === 'aud') {
      const aud = error.payload.aud
      return new SsoError(
        'JWT_AUDIENCE_MISMATCH',
        'aud',
        `the ${label} is not meant for this party`,
        {
          expected: expected.audience ?? null,
          received: Array.isArray(aud)
            ? aud.map((value) => String(value).slice(0, 200))
            : typeof aud === 'string'
              ? aud.slice(0, 200)
              : null,
        },
      )
    }
    if (error.reason === 'check_failed' && claim === 'nbf') {
      return new SsoError('JWT_NOT_YET_VALID', 'nbf', `the ${label} is not valid yet`, {
        nbf: numberOrNull(error.payload.nbf),
        now,
        skewSeconds,
      })
    }
    return new SsoError(
      'JWT_CLAIM_INVALID',
      claim,
      `the ${label}'s "${claim}" claim is not valid`,
      {
        claim,
        reason: error.reason.slice(0, 40),
      },
    )
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new SsoError(
      'JWT_ALGORITHM_FORBIDDEN',
      'alg',
      `the ${label}'s algorithm is not allowed`,
      {},
    )
  }
  if (error instanceof errors.JOSEError) {
    return new SsoError('JWT_MALFORMED', 'JWS', `the ${label} is not a valid JWS/JWT`, {
      cause: error.code,
    })
  }
  // jose refuses keys it cannot use (e.g. RSA under 2048 bits) with a TypeError.
  return new SsoError(
    'JWT_SIGNATURE_INVALID',
    'signature',
    `the ${label} cannot be verified with the configured key`,
    {
      cause: error instanceof Error ? error.name : 'unknown',
    },
  )
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null
}
