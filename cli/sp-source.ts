import { readFileSync } from 'node:fs'
import type { SpOptions } from '../sp/options.ts'
import { readIdpMetadata } from './idp-metadata.ts'
import { UsageError } from './usage.ts'

/** The IdP connection `ssoproof sp` was given, as createSp options, and a line describing it. */
export interface SpSource {
  connection: Pick<SpOptions, 'protocol' | 'idp' | 'jwt' | 'oidc'>
  description: string
}

type Values = Record<string, string | boolean | undefined>

const jwtKeyOptions = ['jwt-key', 'jwks'] as const
const sourceNames = {
  saml: '--saml-metadata',
  oidc: '--oidc-issuer',
  jwt: '--jwt-key / --jwks',
} as const

/**
 * Exactly one IdP: `--saml-metadata URL|FILE`, `--oidc-issuer URL` (with `--client-id` and
 * `--client-secret`), or `--jwt-key PEM` / `--jwks URL` with `--jwt-login-url URL`. Options of
 * another source are usage errors, so a typo never silently selects the wrong IdP.
 */
export async function readSpSource(values: Values, fetchImpl: typeof fetch): Promise<SpSource> {
  const given = (['saml', 'oidc', 'jwt'] as const).filter((kind) =>
    kind === 'saml'
      ? values['saml-metadata'] !== undefined
      : kind === 'oidc'
        ? values['oidc-issuer'] !== undefined
        : jwtKeyOptions.some((name) => values[name] !== undefined),
  )
  if (given.length === 0) {
    throw new UsageError(
      'say which IdP to test: --saml-metadata URL|FILE, --oidc-issuer URL with --client-id and --client-secret, or --jwt-key PEM (or --jwks URL) with --jwt-login-url URL',
    )
  }
  if (given.length > 1) {
    throw new UsageError(
      `give one IdP, not several: ${given.map((kind) => sourceNames[kind]).join(' and ')}`,
    )
  }
  const kind = given[0] as 'saml' | 'oidc' | 'jwt'
  const foreign = {
    saml: ['client-id', 'client-secret', 'jwt-login-url', 'jwt-issuer', 'jwt-audience'],
    oidc: ['jwt-login-url', 'jwt-issuer', 'jwt-audience', 'allow-unsolicited'],
    jwt: ['client-id', 'client-secret', 'allow-unsolicited'],
  }[kind].find((name) => values[name] !== undefined)
  if (foreign) throw new UsageError(`--${foreign} does not apply to ${sourceNames[kind]}`)
  if (kind === 'saml') return readSamlSource(String(values['saml-metadata']), fetchImpl)
  if (kind === 'oidc') return readOidcSource(values)
  return readJwtSource(values)
}

async function readSamlSource(where: string, fetchImpl: typeof fetch): Promise<SpSource> {
  const { idp, description } = await readIdpMetadata(where, fetchImpl, '--saml-metadata')
  return { connection: { protocol: 'saml', idp }, description }
}

function readOidcSource(values: Values): SpSource {
  const issuer = String(values['oidc-issuer'])
  for (const name of ['client-id', 'client-secret']) {
    if (typeof values[name] !== 'string' || values[name] === '') {
      throw new UsageError(`--oidc-issuer needs --${name}`)
    }
  }
  if (!/^https?:\/\//i.test(issuer))
    throw new UsageError(`--oidc-issuer must be an http(s) URL, got "${issuer}"`)
  return {
    connection: {
      protocol: 'oidc',
      oidc: {
        issuer,
        clientId: String(values['client-id']),
        clientSecret: String(values['client-secret']),
      },
    },
    description: `OpenID provider ${issuer} (discovery), client ${String(values['client-id'])}`,
  }
}

function readJwtSource(values: Values): SpSource {
  if (values['jwt-key'] !== undefined && values.jwks !== undefined) {
    throw new UsageError('give one of --jwt-key PEM and --jwks URL, not both')
  }
  const loginUrl = values['jwt-login-url']
  if (typeof loginUrl !== 'string')
    throw new UsageError('--jwt-key and --jwks need --jwt-login-url URL')
  const key = values['jwt-key']
  let keys: { certificates: string[] } | { jwksUrl: string }
  if (typeof key === 'string') {
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
  const issuer = values['jwt-issuer']
  const audience = values['jwt-audience']
  return {
    connection: {
      protocol: 'jwt',
      jwt: {
        loginUrl,
        ...keys,
        ...(typeof issuer === 'string' ? { issuer } : {}),
        ...(typeof audience === 'string' ? { audience } : {}),
      },
    },
    description: `JWT IdP, remote login URL ${loginUrl}, keys from ${typeof key === 'string' ? key : String(values.jwks)}`,
  }
}
