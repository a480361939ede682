import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { PeerDefinition } from '../../lab/types.ts'
import { readTemplate, renderTemplate, startApache } from '../apache/apache.ts'
import { ssoproofPeer } from '../ssoproof/peer.ts'

/** One relying party of the Apache instance: a virtual host with a client of its own. */
export interface ModAuthOpenidcRp {
  baseUrl: string
  clientId: string
  /** Behind `AuthType openid-connect`: Apache's environment, the claims mod_auth_openidc passes. */
  protectedPage: string
  /** mod_auth_openidc's redirect URI, which also serves its hooks (info, refresh, logout). */
  redirectUri: string
  /** A public page: where RP-initiated logout comes back to. */
  signedOutPage: string
}

export interface ModAuthOpenidcHandle {
  /** Answers by query (the default response mode). */
  query: ModAuthOpenidcRp
  /** Asks for response_mode=form_post (OIDCResponseMode form_post). */
  formPost: ModAuthOpenidcRp
}

const labWww = fileURLToPath(new URL('www', import.meta.url))

/**
 * mod_auth_openidc in an Apache instance of its own: two virtual hosts, one per response mode,
 * each a confidential client of ssoproof's provider (discovery, code + PKCE S256,
 * client_secret_basic), with back-channel logout registered at its redirect URI and claims passed
 * as headers and environment.
 */
export const modAuthOpenidcPeer: PeerDefinition<ModAuthOpenidcHandle> = {
  id: 'mod-auth-openidc',
  title: 'mod_auth_openidc',
  packages: ['libapache2-mod-auth-openidc', 'apache2'],
  needs: [ssoproofPeer],
  portOffset: 35,
  portCount: 2,
  async start(env, ports) {
    const [queryPort, formPostPort] = ports as [number, number]
    const ssoproof = env.peer(ssoproofPeer)
    const rps: ModAuthOpenidcHandle = {
      query: rpAt(queryPort, 'mod-auth-openidc'),
      formPost: rpAt(formPostPort, 'mod-auth-openidc-form-post'),
    }
    const vhosts: string[] = []
    for (const [rp, mode] of [
      [rps.query, 'query'],
      [rps.formPost, 'form_post'],
    ] as const) {
      const secret = randomBytes(24).toString('base64url')
      await ssoproof.admin('/oidc-clients', {
        clientId: rp.clientId,
        clientSecret: secret,
        redirectUris: [rp.redirectUri],
        postLogoutRedirectUris: [rp.signedOutPage],
        // mod_auth_openidc serves back-channel logout at its redirect URI.
        backchannelLogoutUri: `${rp.redirectUri}?logout=backchannel`,
        backchannelLogoutSessionRequired: true,
      })
      vhosts.push(
        renderTemplate(readTemplate(import.meta.url, 'vhost.conf.in'), {
          // The instance's first port is listened on by the shared template already.
          LISTEN: rp === rps.query ? '' : `Listen 127.0.0.1:${formPostPort}`,
          PORT: String(new URL(rp.baseUrl).port),
          ISSUER: ssoproof.idpUrl,
          CLIENT_ID: rp.clientId,
          CLIENT_SECRET: secret,
          BASE_URL: rp.baseUrl,
          PASSPHRASE: randomBytes(24).toString('base64url'),
          RESPONSE_MODE: mode,
        }),
      )
    }
    const apache = await startApache(env, {
      name: 'mod-auth-openidc',
      port: queryPort,
      readyUrl: rps.query.signedOutPage,
      body: [
        'LoadModule authn_core_module /usr/lib/apache2/modules/mod_authn_core.so',
        'LoadModule authz_user_module /usr/lib/apache2/modules/mod_authz_user.so',
        'LoadModule include_module /usr/lib/apache2/modules/mod_include.so',
        'LoadModule auth_openidc_module /usr/lib/apache2/modules/mod_auth_openidc.so',
        `Alias /lab ${labWww}`,
        `<Directory ${labWww}>`,
        '    Require all granted',
        '    Options +Includes',
        '    AddType text/plain .shtml',
        '    AddOutputFilter INCLUDES .shtml',
        '</Directory>',
        ...vhosts,
      ].join('\n'),
    })
    return { handle: rps, logFiles: [apache.errorLog, apache.accessLog] }
  },
}

function rpAt(port: number, clientId: string): ModAuthOpenidcRp {
  const baseUrl = `http://127.0.0.1:${port}`
  return {
    baseUrl,
    clientId,
    protectedPage: `${baseUrl}/lab/secure/whoami.shtml`,
    redirectUri: `${baseUrl}/lab/secure/redirect_uri`,
    signedOutPage: `${baseUrl}/lab/bye.html`,
  }
}
