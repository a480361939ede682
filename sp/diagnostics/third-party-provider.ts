import { generateKeyPairSync } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import Provider, { type AdapterPayload } from 'oidc-provider'

/**
 * A third-party OpenID provider for the diagnostics test: panva's oidc-provider configured as
 * a deployment would be, so it prints no development-mode warnings — its own signing key, an
 * adapter, explicit lifetimes, and login and consent pages of ours instead of devInteractions.
 * Everything it reports as a server error is kept in `errors` for the test to assert on.
 */
export function createThirdPartyProvider(
  issuer: string,
  client: { clientId: string; clientSecret: string; redirectUri: string },
) {
  const errors: unknown[] = []
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const provider = new Provider(issuer, {
    adapter: mapAdapter(),
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-signing', use: 'sig' }] },
    cookies: { keys: ['diagnostics-test-cookie-key'] },
    ttl: { AccessToken: 600, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: `${id}@example.com`, name: 'Olivia Provider' }),
    }),
  })
  provider.on('server_error', (_ctx, error) => errors.push(error))
  const callback = provider.callback()
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    if (!request.url?.startsWith('/interaction/')) return callback(request, response)
    interact(provider, request, response).catch((error: unknown) => {
      errors.push(error)
      response.statusCode = 500
      response.end('interaction failed')
    })
  }
  return { handle, errors }
}

/** GET shows the page of the pending prompt; POST answers it (login: the account; consent: a grant). */
export async function interact(
  provider: Provider,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const details = await provider.interactionDetails(request, response)
  const action = `/interaction/${details.uid}`
  if (request.method === 'GET') {
    response.setHeader('Content-Type', 'text/html; charset=utf-8')
    response.end(
      details.prompt.name === 'login'
        ? `<form method="post" action="${action}"><input name="login"><input name="password" type="password"><button>Sign in</button></form>`
        : `<form method="post" action="${action}"><input type="hidden" name="prompt" value="consent"><button>Allow</button></form>`,
    )
    return
  }
  const form = new URLSearchParams(await readBody(request))
  if (details.prompt.name === 'login') {
    const accountId = form.get('login') ?? ''
    await provider.interactionFinished(request, response, { login: { accountId } })
    return
  }
  const { accountId } = details.session ?? {}
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id })
  const missing = details.prompt.details
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
  const grantId = await grant.save()
  await provider.interactionFinished(request, response, { consent: { grantId } })
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = ''
  for await (const chunk of request) body += String(chunk)
  return body
}

/**
 * The provider's storage, one Map per model. Expiry needs no bookkeeping here: the provider
 * checks each entry's `exp` when it loads it.
 */
export function mapAdapter() {
  const models = new Map<string, Map<string, AdapterPayload>>()
  return class MapAdapter {
    private readonly entries: Map<string, AdapterPayload>

    constructor(name: string) {
      this.entries = models.get(name) ?? new Map()
      models.set(name, this.entries)
    }

    async upsert(id: string, payload: AdapterPayload) {
      this.entries.set(id, payload)
    }

    async find(id: string) {
      return this.entries.get(id)
    }

    async findByUid(uid: string) {
      return [...this.entries.values()].find((entry) => entry.uid === uid)
    }

    async findByUserCode(userCode: string) {
      return [...this.entries.values()].find((entry) => entry.userCode === userCode)
    }

    async consume(id: string) {
      const entry = this.entries.get(id)
      if (entry) entry.consumed = true
    }

    async destroy(id: string) {
      this.entries.delete(id)
    }

    async revokeByGrantId(grantId: string) {
      for (const [id, entry] of this.entries) if (entry.grantId === grantId) this.entries.delete(id)
    }
  }
}
