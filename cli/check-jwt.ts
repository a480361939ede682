import { decodeJwt, decodeProtectedHeader, type JSONWebKeySet } from 'jose'
import { type Finding, SsoError } from '../core/errors/index.ts'
import {
  isHmacAlgorithm,
  isJwsAlgorithm,
  type JwsAlgorithm,
  jwsAlgorithms,
} from '../core/jwt/algorithms.ts'
import { createJwksCache } from '../core/jwt/jwks-cache.ts'
import type { VerificationKeys } from '../core/jwt/verification-keys.ts'
import type { CheckReport } from '../sp/acs/validate-response.ts'
import { readPublicKey, spJwtSettingsSchema } from '../sp/jwt/settings.ts'
import { expectationsOf, jwtStepOf, signInTokenSteps } from '../sp/jwt/token-steps.ts'
import { type TokenValidationSettings, verifySignInToken } from '../sp/jwt/validate-token.ts'
import { type CheckIo, readPemOption, readSkewMs, requiredString } from './check-input.ts'
import { type CheckSummary, withHint } from './check-report.ts'
import { UsageError } from './usage.ts'

/** The options only `ssoproof check jwt` takes. */
export const jwtOptions = ['key', 'jwks', 'secret', 'iss', 'aud', 'alg'] as const

/**
 * `ssoproof check jwt`: the token (literal, a file, or stdin), the keys and expectations from
 * the command line, then the SP's own verifySignInToken at `at`, offline: no replay cache.
 */
export async function checkJwt(
  operand: string,
  values: Record<string, string | boolean | undefined>,
  at: number,
  io: CheckIo,
): Promise<CheckSummary> {
  const settings: TokenValidationSettings = {
    algorithms: readAlgorithms(values),
    issuer: requiredString(values, 'iss'),
    audience: requiredString(values, 'aud'),
    clockSkewMs: readSkewMs(values.skew),
    maxTokenBytes: spJwtSettingsSchema.shape.maxTokenBytes.parse(undefined),
  }
  const keys = readKeys(values, settings.algorithms, io)
  const { token, input } = await readToken(operand, io)
  const checks: CheckReport[] = []
  let failure: Finding | undefined
  let accepted: Awaited<ReturnType<typeof verifySignInToken>> | undefined
  try {
    accepted = await verifySignInToken(token, settings, { keys, now: at, replay: null })
  } catch (error) {
    if (!(error instanceof SsoError)) throw error
    failure = error.toFinding()
  }
  const expected = expectationsOf(settings)
  const decoded = decodeForDisplay(token)
  const failedAt = failure ? jwtStepOf(failure, expected, decoded.claims ?? {}) : undefined
  // A failure the table does not place (none today) is listed last, every step before it unknown.
  let reached = failedAt !== undefined || failure === undefined
  for (const step of signInTokenSteps) {
    const row = { check: step.check, enforces: step.enforces(expected), warnings: [] }
    if (!reached) {
      checks.push({ ...row, outcome: 'not-reached' })
    } else if (failure && step.check === failedAt) {
      checks.push({ ...row, outcome: 'fail', failure })
      reached = false
    } else if (step.check === 'Replay') {
      checks.push({
        ...row,
        outcome: 'not-checked',
        notChecked: 'offline there is no replay cache to consult',
      })
    } else {
      checks.push({ ...row, outcome: 'pass' })
    }
  }
  if (failure && failedAt === undefined) {
    checks.push({ check: failure.check, enforces: '', outcome: 'fail', failure, warnings: [] })
  }
  return {
    kind: 'jwt',
    verdict: accepted ? 'accepted' : 'rejected',
    at: new Date(at).toISOString(),
    input,
    checks,
    failure: withHint(failure),
    warnings: [],
    identity: accepted
      ? {
          Subject: accepted.subject.nameId,
          Issuer: accepted.subject.issuer,
          alg: accepted.header.alg,
          kid: typeof accepted.header.kid === 'string' ? accepted.header.kid : null,
        }
      : null,
    attributes: accepted ? { ...accepted.subject.attributes } : null,
    token: decoded,
  }
}

/** `--alg`: a comma-separated allow-list; default RS256 with a key, HS256 with a secret. */
function readAlgorithms(values: Record<string, string | boolean | undefined>): JwsAlgorithm[] {
  const given = typeof values.alg === 'string' ? values.alg : undefined
  const names =
    given === undefined
      ? [values.secret !== undefined ? 'HS256' : 'RS256']
      : given
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== '')
  const unknown = names.find((name) => !isJwsAlgorithm(name))
  if (names.length === 0 || unknown !== undefined) {
    throw new UsageError(
      `--alg takes a list of ${jwsAlgorithms.join(', ')}${unknown === undefined ? '' : `; "${unknown}" is not one`}`,
    )
  }
  return names as JwsAlgorithm[]
}

/** `--key`, `--jwks` or `--secret`, exactly one, read as the SP reads its JWT settings. */
function readKeys(
  values: Record<string, string | boolean | undefined>,
  algorithms: readonly JwsAlgorithm[],
  io: CheckIo,
): VerificationKeys {
  const given = (['key', 'jwks', 'secret'] as const).filter((name) => values[name] !== undefined)
  if (given.length !== 1) {
    throw new UsageError('give exactly one of --key PEM, --jwks URL|FILE or --secret S')
  }
  const hmac = algorithms.filter(isHmacAlgorithm)
  if (values.secret !== undefined && hmac.length !== algorithms.length) {
    throw new UsageError('--secret verifies HS256, HS384 or HS512 only; set --alg accordingly')
  }
  if (values.secret === undefined && hmac.length > 0) {
    throw new UsageError(`--alg ${hmac.join(', ')} needs --secret`)
  }
  if (typeof values.secret === 'string') {
    const checked = spJwtSettingsSchema.shape.secret.safeParse(values.secret)
    if (!checked.success) {
      throw new UsageError('--secret must be at least 32 characters, as the SP setting jwt.secret')
    }
    return { secret: new TextEncoder().encode(values.secret) }
  }
  if (typeof values.key === 'string') {
    try {
      return { publicKeys: [readPublicKey(readPemOption(values.key, 'key', io))] }
    } catch (error) {
      if (!(error instanceof SsoError)) throw error
      throw new UsageError(`--key: ${error.reason}`)
    }
  }
  const jwks = String(values.jwks)
  if (/^https?:\/\//.test(jwks)) {
    return {
      jwks: createJwksCache({
        url: jwks,
        fetch: io.fetch,
        clock: io.clock,
        timeoutMs: spJwtSettingsSchema.shape.jwksTimeoutMs.parse(undefined),
      }),
    }
  }
  const set = readJwksFile(jwks, io)
  return { jwks: { get: async () => set, refresh: async () => undefined } }
}

function readJwksFile(path: string, io: CheckIo): JSONWebKeySet {
  let parsed: unknown
  try {
    parsed = JSON.parse(io.readFile(path))
  } catch {
    throw new UsageError(`--jwks: cannot read "${path}" as JSON`)
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'object' && key !== null)) {
    throw new UsageError(`--jwks: "${path}" is not a JSON Web Key Set ({"keys": [...]})`)
  }
  return parsed as JSONWebKeySet
}

/**
 * The token operand: `-` (standard input), a compact JWS, or a file holding one. Pasted forms are
 * forgiven: `Bearer …`, or a URL / form body carrying `token=` or `id_token=`.
 */
async function readToken(operand: string, io: CheckIo): Promise<{ token: string; input: string }> {
  const jws = /^[\w-]*\.[\w-]*\.[\w-]*$/
  let text: string
  let source: string
  if (operand === '-') {
    text = await io.readStdin()
    source = 'standard input'
  } else if (jws.test(operand.trim())) {
    return { token: operand.trim(), input: 'compact JWS' }
  } else {
    try {
      text = io.readFile(operand)
    } catch {
      throw new UsageError('the token operand is neither a compact JWS nor a readable file')
    }
    source = 'file'
  }
  const trimmed = text.trim().replace(/^Bearer\s+/i, '')
  const field = /(?:^|[?&#\s])(?:id_token|token)=([^&\s]+)/.exec(trimmed)?.[1]
  if (field !== undefined) {
    try {
      return { token: decodeURIComponent(field), input: `${source}, token parameter` }
    } catch {
      return { token: field, input: `${source}, token parameter` }
    }
  }
  return { token: trimmed, input: source }
}

/** The protected header and claims, decoded for a person to read; never the signature. */
function decodeForDisplay(token: string): NonNullable<CheckSummary['token']> {
  const attempt = <T>(read: () => T): T | null => {
    try {
      return read()
    } catch {
      return null
    }
  }
  return {
    header: attempt(() => decodeProtectedHeader(token) as Record<string, unknown>),
    claims: attempt(() => decodeJwt(token) as Record<string, unknown>),
  }
}
