import { readFileSync } from 'node:fs'
import { isJwsAlgorithm, type JwsAlgorithm } from '../core/jwt/algorithms.ts'
import type { SpOptions } from '../sp/options.ts'
import { readIdpMetadata } from './idp-metadata.ts'
import { UsageError } from './usage.ts'

/** The IdP connection `ssoproof sp` was given, as createSp options, and a line describing it. */
export interface SpSource {
  connection: Pick<SpOptions, 'protocol' | 'idp' | 'jwt' | 'oidc'>
  description: string
}

type Values = Record<string, string | boolean | undefined>

const jwtKeyOptions = ['jwt-key', 'jwks', 'jwt-secret'] as const
const oidcOnly = ['client-id', 'client-secret', 'client-auth', 'id-token-alg', 'scope']
const jwtOnly = ['jwt-login-url', 'jwt-issuer', 'jwt-audience', 'jwt-alg']
const clientAuthentications = ['client_secret_basic', 'client_secret_post', 'none'] as const
const sourceNames = {
  saml: '--saml-metadata',
  oidc: '--oidc-issuer',
  jwt: '--jwt-key / --jwks / --jwt-secret',
} as const

/**
 * Exactly one IdP: `--saml-metadata URL|FILE`, `--oidc-issuer URL` (with `--client-id`, and
 * `--client-secret` unless `--client-auth none`; `--id-token-alg`, `--scope`), or `--jwt-key PEM`
 * / `--jwks URL` / `--jwt-secret S` with `--jwt-login-url URL` (`--jwt-alg`). Options of another
 * source are usage errors, so a typo never silently selects the wrong IdP.
 */
export async function readSpSource(
  values: Values,
  fetchImpl: typeof fetch,
  allowedFetchHosts: readonly string[] = [],
): Promise<SpSource> {
  const given = (['saml', 'oidc', 'jwt'] as const).filter((kind) =>
    kind === 'saml'
      ? values['saml-metadata'] !== undefined
      : kind === 'oidc'
        ? values['oidc-issuer'] !== undefined
        : jwtKeyOptions.some((name) => values[name] !== undefined),
  )
  if (given.length === 0) {
    throw new UsageError(
      'say which IdP to test: --saml-metadata URL|FILE, --oidc-issuer URL with --client-id and --client-secret, or --jwt-key PEM (or --jwks URL, --jwt-secret S) with --jwt-login-url URL',
    )
  }
  if (given.length > 1) {
    throw new UsageError(
      `give one IdP, not several: ${given.map((kind) => sourceNames[kind]).join(' and ')}`,
    )
  }
  const kind = given[0] as 'saml' | 'oidc' | 'jwt'
  const samlOnly = ['allow-unsolicited']
  const foreign = {
    saml: [...oidcOnly, ...jwtOnly],
    oidc: [...jwtOnly, ...samlOnly],
    jwt: [...oidcOnly, ...samlOnly],
  }[kind].find((name) => values[name] !== undefined)
  if (foreign) throw new UsageError(`--${foreign} does not apply to ${sourceNames[kind]}`)
  if (kind === 'saml') {
    return readSamlSource(String(values['saml-metadata']), fetchImpl, allowedFetchHosts)
  }
  if (kind === 'oidc') return readOidcSource(values)
  return readJwtSource(values)
}

async function readSamlSource(
  where: string,
  fetchImpl: typeof fetch,
  allowedFetchHosts: readonly string[],
): Promise<SpSource> {
  const { idp, description } = await readIdpMetadata(
    where,
    fetchImpl,
    '--saml-metadata',
    allowedFetchHosts,
  )
  return { connection: { protocol: 'saml', idp }, description }
}

function readOidcSource(values: Values): SpSource {
  const issuer = String(values['oidc-issuer'])
  const auth = values['client-auth']
  if (auth !== undefined && !clientAuthentications.includes(auth as never)) {
    throw new UsageError(
      `--client-auth must be one of ${clientAuthentications.join(', ')}, got "${String(auth)}"`,
    )
  }
  const needed = auth === 'none' ? ['client-id'] : ['client-id', 'client-secret']
  for (const name of needed) {
    if (typeof values[name] !== 'string' || values[name] === '') {
      throw new UsageError(`--oidc-issuer needs --${name}`)
    }
  }
  if (!/^https?:\/\//i.test(issuer))
    throw new UsageError(`--oidc-issuer must be an http(s) URL, got "${issuer}"`)
  const algorithms = algorithmList(values['id-token-alg'], 'id-token-alg')
  const secret = values['client-secret']
  if (algorithms?.some((alg) => alg.startsWith('HS')) && typeof secret !== 'string') {
    throw new UsageError('--id-token-alg HS*: the ID tokens are verified with --client-secret')
  }
  const scope = values.scope
  return {
    connection: {
      protocol: 'oidc',
      oidc: {
        issuer,
        clientId: String(values['client-id']),
        ...(typeof secret === 'string' ? { clientSecret: secret } : {}),
        ...(auth !== undefined
          ? { clientAuthentication: auth as (typeof clientAuthentications)[number] }
          : {}),
        ...(algorithms ? { idTokenAlgorithms: algorithms } : {}),
        ...(typeof scope === 'string' ? { scope } : {}),
      },
    },
    description: [
      `OpenID provider ${issuer} (discovery), client ${String(values['client-id'])}`,
      `    client authentication  ${auth ?? (secret === undefined ? 'none' : 'client_secret_basic')}`,
      `    ID token algorithms    ${algorithms?.join(', ') ?? "the provider's (discovery)"}`,
      `    scope                  ${typeof scope === 'string' ? scope : 'openid profile email'}`,
    ].join('\n'),
  }
}

/** A comma-separated list of JWS algorithms; `none` and unknown names are usage errors. */
function algorithmList(
  value: string | boolean | undefined,
  option: string,
): JwsAlgorithm[] | undefined {
  if (value === undefined) return undefined
  const names = String(value)
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  const wrong = names.find((name) => !isJwsAlgorithm(name))
  if (names.length === 0 || wrong !== undefined) {
    throw new UsageError(
      `--${option}: ${wrong === undefined ? 'name at least one algorithm' : `"${wrong}" is not an algorithm ssoproof verifies`} (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384, HS512; never none)`,
    )
  }
  return names as JwsAlgorithm[]
}

function readJwtSource(values: Values): SpSource {
  if (values['jwt-key'] !== undefined && values.jwks !== undefined) {
    throw new UsageError('give one of --jwt-key PEM and --jwks URL, not both')
  }
  const algorithms = algorithmList(values['jwt-alg'], 'jwt-alg')
  const secret = values['jwt-secret']
  const symmetric = algorithms?.some((alg) => alg.startsWith('HS')) === true
  if (symmetric !== (typeof secret === 'string')) {
    throw new UsageError(
      symmetric
        ? '--jwt-alg HS*: give the shared secret with --jwt-secret'
        : '--jwt-secret is the key of HS* tokens: add --jwt-alg HS256 (or HS384, HS512)',
    )
  }
  const loginUrl = values['jwt-login-url']
  if (typeof loginUrl !== 'string')
    throw new UsageError('--jwt-key and --jwks need --jwt-login-url URL')
  const key = values['jwt-key']
  let keys: { certificates: string[] } | { jwksUrl: string } | { secret: string }
  if (typeof secret === 'string' && key === undefined && values.jwks === undefined) {
    keys = { secret }
  } else if (typeof key === 'string') {
    let text = key
    if (!key.includes('-----BEGIN')) {
      try {
        text = readFileSync(key, 'utf8')
      } catch (error) {
        throw new UsageError(
          `--jwt-key: cannot read the file "${key}" (${(error as NodeJS.ErrnoException).code ?? 'unknown'})`,
        )
      }
    }
    keys = { certificates: [text] }
  } else {
    keys = { jwksUrl: String(values.jwks) }
  }
  const extraSecret = typeof secret === 'string' && !('secret' in keys) ? { secret } : {}
  const issuer = values['jwt-issuer']
  const audience = values['jwt-audience']
  return {
    connection: {
      protocol: 'jwt',
      jwt: {
        loginUrl,
        ...keys,
        ...extraSecret,
        ...(algorithms ? { algorithms } : {}),
        ...(typeof issuer === 'string' ? { issuer } : {}),
        ...(typeof audience === 'string' ? { audience } : {}),
      },
    },
    description: `JWT IdP, remote login URL ${loginUrl}, keys from ${typeof key === 'string' ? key : 'secret' in keys ? 'the shared secret' : String(values.jwks)}, algorithms ${algorithms?.join(', ') ?? 'RS256'}`,
  }
}
