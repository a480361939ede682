import { type CheckIo, processIo, readInstant } from './check-input.ts'
import { checkJwt, jwtOptions } from './check-jwt.ts'
import { renderText } from './check-report.ts'
import { checkSaml, samlOptions } from './check-saml.ts'
import { type CommandSpec, parseCommandLine, UsageError } from './usage.ts'

const spec: CommandSpec = {
  name: 'check',
  usage: `ssoproof check saml <FILE|-> --idp-cert PEM --idp-entity-id ID --sp-entity-id ID --acs URL [--at ISO-8601] [--in-response-to ID] [--skew SECONDS] [--sp-key PEM] [--legacy-crypto] [--ignore-cert-validity] [--format text|json]
       ssoproof check jwt <TOKEN|FILE|-> (--key PEM | --jwks URL|FILE | --secret S) --iss ISS --aud AUD [--at ISO-8601] [--alg LIST] [--skew SECONDS] [--format text|json]

Prints every check with its outcome, and who signed in when the input is accepted.
Exit status: 0 accepted, 1 rejected, 2 usage error.`,
  options: {
    at: {
      type: 'string',
      valueName: 'ISO-8601',
      description: 'The instant to check at (default: now)',
    },
    skew: {
      type: 'string',
      valueName: 'SECONDS',
      description: 'Allowed clock skew',
      default: '60',
    },
    format: { type: 'string', valueName: 'text|json', description: 'Output', default: 'text' },
    'idp-cert': {
      type: 'string',
      valueName: 'PEM',
      description: 'saml: the IdP signing certificate(s), a PEM file',
    },
    'idp-entity-id': { type: 'string', valueName: 'ID', description: 'saml: the expected Issuer' },
    'sp-entity-id': { type: 'string', valueName: 'ID', description: 'saml: the expected Audience' },
    acs: {
      type: 'string',
      valueName: 'URL',
      description: 'saml: the ACS URL (Destination, Recipient)',
    },
    'in-response-to': {
      type: 'string',
      valueName: 'ID',
      description: 'saml: the AuthnRequest ID to answer (default: not checked)',
    },
    'sp-key': {
      type: 'string',
      valueName: 'PEM',
      description: 'saml: the SP private key, for EncryptedAssertion and EncryptedID',
    },
    'legacy-crypto': {
      type: 'boolean',
      description: 'saml: accept SHA-1, RSA keys < 2048 bits and RSA 1.5, with warnings',
    },
    'ignore-cert-validity': {
      type: 'boolean',
      description: 'saml: accept an IdP certificate outside its dates, with a warning',
    },
    'want-assertions-signed': {
      type: 'boolean',
      description: 'saml: require the Assertion itself signed (as the SP by default)',
    },
    'want-response-signed': {
      type: 'boolean',
      description: 'saml: require the Response itself signed',
    },
    key: {
      type: 'string',
      valueName: 'PEM',
      description: 'jwt: the IdP certificate or public key, a PEM file',
    },
    jwks: { type: 'string', valueName: 'URL|FILE', description: 'jwt: a JWKS URL or file' },
    secret: { type: 'string', valueName: 'S', description: 'jwt: the HS* shared secret' },
    iss: { type: 'string', valueName: 'ISS', description: 'jwt: the expected iss' },
    aud: { type: 'string', valueName: 'AUD', description: 'jwt: the expected aud' },
    alg: {
      type: 'string',
      valueName: 'LIST',
      description: 'jwt: allowed algorithms (default RS256; HS256 with --secret)',
    },
  },
}

export const checkCommand = { spec, run: (args: string[]) => runCheck(args, processIo) }

/** `ssoproof check saml|jwt …`; returns 0 accepted, 1 rejected (usage errors throw UsageError). */
export async function runCheck(args: string[], io: CheckIo): Promise<number> {
  const { values, positionals } = parseCommandLine(spec, args)
  const [kind, operand, extra] = positionals
  if (kind !== 'saml' && kind !== 'jwt') {
    throw new UsageError(
      kind === undefined
        ? 'say what to check: saml or jwt'
        : `cannot check "${kind}": say saml or jwt`,
    )
  }
  if (operand === undefined) {
    throw new UsageError(
      kind === 'saml'
        ? 'give the Response: a file, or - for standard input'
        : 'give the token, a file holding it, or - for standard input',
    )
  }
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`)
  const foreign = kind === 'saml' ? jwtOptions : samlOptions
  const misplaced = foreign.find((name) => values[name] !== undefined)
  if (misplaced !== undefined)
    throw new UsageError(`--${misplaced} does not apply to check ${kind}`)
  const format = String(values.format)
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--format must be text or json, got "${format}"`)
  }
  const at = readInstant(values.at, io)
  const summary =
    kind === 'saml'
      ? await checkSaml(operand, values, at, io)
      : await checkJwt(operand, values, at, io)
  io.stdout(format === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : renderText(summary))
  return summary.verdict === 'accepted' ? 0 : 1
}
