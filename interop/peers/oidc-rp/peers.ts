import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PeerDefinition } from '../../lab/types.ts'
import { poll } from '../../lab/wait.ts'
import { ssoproofPeer } from '../ssoproof/peer.ts'
import type { RpConfig, RpProfile } from './rp-server.ts'

/** The clients every library registers: one per way of authenticating and signing. */
export type RpProfileName = 'secret-basic' | 'secret-post' | 'public' | 'es256'

export interface OidcRpHandle {
  library: string
  /** The RP's page for a profile: `login`, `callback` or `refresh` (rp-server.ts). */
  page(profile: RpProfileName, action: 'login' | 'refresh'): string
  clientId(profile: RpProfileName): string
}

const here = fileURLToPath(new URL('.', import.meta.url))
const root = fileURLToPath(new URL('../../..', import.meta.url))

function profiles(id: string): Record<RpProfileName, RpProfile> {
  const secret = () => randomBytes(24).toString('base64url')
  return {
    'secret-basic': {
      clientId: `${id}-secret-basic`,
      clientSecret: secret(),
      auth: 'client_secret_basic',
      idTokenAlg: 'RS256',
    },
    'secret-post': {
      clientId: `${id}-secret-post`,
      clientSecret: secret(),
      auth: 'client_secret_post',
      idTokenAlg: 'RS256',
    },
    public: { clientId: `${id}-public`, auth: 'none', idTokenAlg: 'RS256' },
    es256: {
      clientId: `${id}-es256`,
      clientSecret: secret(),
      auth: 'client_secret_basic',
      idTokenAlg: 'ES256',
    },
  }
}

/**
 * A relying-party library wrapped in the lab's small web app (rp-server.ts, authlib_rp.py) as a
 * process of its own; its clients are registered at ssoproof's provider before it starts.
 */
function oidcRpPeer(options: {
  id: string
  title: string
  packages: string[]
  portOffset: number
  command: (configFile: string) => { command: string; args: string[]; env?: Record<string, string> }
}): PeerDefinition<OidcRpHandle> {
  return {
    id: options.id,
    title: options.title,
    packages: options.packages,
    needs: [ssoproofPeer],
    portOffset: options.portOffset,
    portCount: 1,
    async start(env, ports) {
      const [port] = ports as [number]
      const ssoproof = env.peer(ssoproofPeer)
      const baseUrl = `http://127.0.0.1:${port}`
      const clients = profiles(options.id)
      for (const [name, profile] of Object.entries(clients)) {
        await ssoproof.admin('/oidc-clients', {
          clientId: profile.clientId,
          ...(profile.clientSecret ? { clientSecret: profile.clientSecret } : {}),
          redirectUris: [`${baseUrl}/${name}/callback`],
          idTokenSignedResponseAlg: profile.idTokenAlg,
        })
      }
      const dir = join(env.runDir, options.id)
      mkdirSync(dir, { recursive: true })
      const configFile = join(dir, 'rp.json')
      const config: RpConfig = { port, issuer: ssoproof.idpUrl, baseUrl, profiles: clients }
      writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 })
      const process = env.supervisor.spawn({
        name: options.id,
        ...options.command(configFile),
        cwd: root,
      })
      await poll(`${options.title} at ${baseUrl}/health`, { process, timeoutMs: 60_000 }, () =>
        env.fetch(new Request(`${baseUrl}/health`)).then(
          (response) => response.ok,
          () => false,
        ),
      )
      return {
        handle: {
          library: options.id,
          page: (profile, action) => `${baseUrl}/${profile}/${action}`,
          clientId: (profile) => clients[profile].clientId,
        },
        logFiles: [process.logFile],
      }
    },
  }
}

/** The version of an npm package the lab runs, as the matrix names it. */
export function npmVersion(name: string): string {
  const manifest = join(root, 'node_modules', name, 'package.json')
  return String(JSON.parse(readFileSync(manifest, 'utf8')).version)
}

/** A TypeScript RP of this folder, run by node through tsx. */
function nodeRp(file: string) {
  return (configFile: string) => ({
    command: process.execPath,
    args: ['--import', 'tsx', join(here, file), configFile],
  })
}

export const openidClientPeer = oidcRpPeer({
  id: 'openid-client',
  title: `openid-client ${npmVersion('openid-client')}`,
  packages: [],
  portOffset: 30,
  command: nodeRp('openid-client-rp.ts'),
})

export const oauth4webapiPeer = oidcRpPeer({
  id: 'oauth4webapi',
  title: `oauth4webapi ${npmVersion('oauth4webapi')}`,
  packages: [],
  portOffset: 31,
  command: nodeRp('oauth4webapi-rp.ts'),
})

export const authlibPeer = oidcRpPeer({
  id: 'authlib',
  title: 'authlib',
  packages: ['python3-authlib', 'python3-requests'],
  portOffset: 32,
  command: (configFile) => ({
    command: '/usr/bin/python3',
    args: [join(here, 'authlib_rp.py'), configFile],
    // authlib refuses plain HTTP unless told; the lab is plain HTTP on loopback.
    env: { AUTHLIB_INSECURE_TRANSPORT: '1' },
  }),
})
