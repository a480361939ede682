import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import Provider, { type ClientMetadata } from 'oidc-provider'
import { interact, mapAdapter } from '../../../sp/diagnostics/third-party-provider.ts'

/**
 * panva's oidc-provider 8 (an OpenID Certified provider) as the lab's provider for the reference
 * SP: `tsx provider.ts config.json`. Its own RSA and P-256 keys, RS256, PS256, ES256 and HS256 ID
 * tokens as each client registers, pairwise subjects, RP-initiated and back-channel logout; login
 * and consent by the pages of third-party-provider.ts (any account name signs in).
 */
interface LabProviderConfig {
  port: number
  issuer: string
  clients: ClientMetadata[]
}

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LabProviderConfig
const key = (type: 'rsa' | 'ec', kid: string) => {
  const { privateKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig' }
}
const pairwiseSalt = randomBytes(16).toString('hex')

const provider = new Provider(config.issuer, {
  adapter: mapAdapter(),
  jwks: { keys: [key('rsa', 'lab-rsa'), key('ec', 'lab-p256')] },
  cookies: { keys: [randomBytes(24).toString('base64url')] },
  ttl: { AccessToken: 600, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    backchannelLogout: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = `<!DOCTYPE html><html><body>${form}<button form="op.logoutForm" name="logout" value="yes">Sign out</button></body></html>`
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = '<!DOCTYPE html><html><body>Signed out at oidc-provider.</body></html>'
      },
    },
  },
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'PS256', 'ES256', 'HS256'] },
  subjectTypes: ['public', 'pairwise'],
  // OIDC Core §8.1: one subject per account and sector, opaque to the client.
  pairwiseIdentifier: async (_ctx, accountId, client) =>
    createHash('sha256')
      .update(`${client.sectorIdentifier}\n${accountId}\n${pairwiseSalt}`)
      .digest('base64url'),
  clients: config.clients,
  claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, email: `${id}@example.com`, name: 'Olivia Provider' }),
  }),
})
provider.on('server_error', (_ctx, error) => console.error('server_error', error))
provider.on('backchannel.error', (_ctx, error, client) =>
  console.error(`back-channel logout of ${clientId(client)} failed:`, error),
)
provider.on('backchannel.success', (_ctx, client) =>
  console.log(`back-channel logout of ${clientId(client)} delivered`),
)

function clientId(client: unknown): string {
  return String((client as { clientId?: unknown } | null)?.clientId)
}

const callback = provider.callback()
createServer((request, response) => {
  if (!request.url?.startsWith('/interaction/')) return callback(request, response)
  interact(provider, request, response).catch((error: unknown) => {
    console.error('interaction failed', error)
    response.statusCode = 500
    response.end('interaction failed')
  })
}).listen(config.port, '127.0.0.1')
