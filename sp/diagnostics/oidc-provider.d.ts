/**
 * The part of oidc-provider 8 (a devDependency that ships no types) that the diagnostics OIDC
 * test and the interop lab's provider (interop/peers/oidc-provider) use: a provider on a loopback
 * port with its clients, its own keys, an adapter and login and consent pages of our own
 * (third-party-provider.ts), pairwise subjects and logout.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export interface Account {
    accountId: string
    claims(): Promise<Record<string, unknown>>
  }

  /** What the provider stores through an adapter, per model. */
  export type AdapterPayload = Record<string, unknown> & {
    uid?: string
    userCode?: string
    grantId?: string
    consumed?: unknown
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>
    find(id: string): Promise<AdapterPayload | undefined>
    findByUid(uid: string): Promise<AdapterPayload | undefined>
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>
    consume(id: string): Promise<void>
    destroy(id: string): Promise<void>
    revokeByGrantId(grantId: string): Promise<void>
  }

  export interface Interaction {
    uid: string
    prompt: {
      name: string
      details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] }
    }
    params: Record<string, string>
    session?: { accountId?: string }
  }

  export interface Configuration {
    adapter?: new (name: string) => Adapter
    jwks?: { keys: Array<Record<string, unknown>> }
    ttl?: Record<string, number>
    interactions?: { url?: (ctx: unknown, interaction: Interaction) => string }
    clients?: Array<Record<string, unknown>>
    features?: Record<string, { enabled: boolean } & Record<string, unknown>> & {
      rpInitiatedLogout?: {
        enabled: boolean
        logoutSource?: (ctx: LogoutContext, form: string) => Promise<void>
        postLogoutSuccessSource?: (ctx: LogoutContext) => Promise<void>
      }
    }
    findAccount?: (ctx: unknown, id: string) => Promise<Account | undefined>
    claims?: Record<string, string[]>
    cookies?: { keys?: string[] }
    pkce?: Record<string, unknown>
    enabledJWA?: { idTokenSigningAlgValues?: string[] }
    subjectTypes?: Array<'public' | 'pairwise'>
    pairwiseIdentifier?: (
      ctx: unknown,
      accountId: string,
      client: { sectorIdentifier?: string },
    ) => Promise<string>
  }

  /** A client as the provider registers it (OIDC Registration §2 names). */
  export type ClientMetadata = Record<string, unknown> & { client_id: string }

  /** What RP-initiated logout's logoutSource gets: a Koa context whose body it sets. */
  export interface LogoutContext {
    body: string
  }

  export class Grant {
    constructor(properties: { accountId: string | undefined; clientId: string | undefined })
    addOIDCScope(scope: string): void
    addOIDCClaims(claims: string[]): void
    save(): Promise<string>
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration)
    readonly Grant: typeof Grant
    callback(): (request: IncomingMessage, response: ServerResponse) => void
    on(event: string, listener: (...args: unknown[]) => void): this
    interactionDetails(request: IncomingMessage, response: ServerResponse): Promise<Interaction>
    interactionFinished(
      request: IncomingMessage,
      response: ServerResponse,
      result: Record<string, unknown>,
    ): Promise<void>
  }
}
