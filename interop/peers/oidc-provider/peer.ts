import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LabEnvironment, PeerDefinition } from '../../lab/types.ts'
import { poll } from '../../lab/wait.ts'
import { npmVersion } from '../oidc-rp/peers.ts'

/** One reference SP per way the provider signs or names the user. */
export type ProviderSpName = 'rs256' | 'es256' | 'ps256' | 'hs256' | 'pairwise'

export interface OidcProviderHandle {
  issuer: string
  /** `ssoproof sp --oidc-issuer <oidc-provider>` for a client registered with this setting. */
  spUrl(name: ProviderSpName): string
}

interface SpSetting {
  alg: 'RS256' | 'ES256' | 'PS256' | 'HS256'
  /** Leave --id-token-alg out: the SP takes the algorithms from discovery. */
  fromDiscovery?: boolean
  pairwise?: boolean
}

const settings: Record<ProviderSpName, SpSetting> = {
  rs256: { alg: 'RS256', fromDiscovery: true },
  es256: { alg: 'ES256' },
  ps256: { alg: 'PS256' },
  hs256: { alg: 'HS256' },
  pairwise: { alg: 'RS256', pairwise: true },
}

const here = fileURLToPath(new URL('.', import.meta.url))
const root = fileURLToPath(new URL('../../..', import.meta.url))

/**
 * oidc-provider 8 (a process of its own, provider.ts) with one client per setting, and for each
 * client the reference SP as a customer runs it: `ssoproof sp --oidc-issuer … --client-id …
 * --client-secret … [--id-token-alg …]`. Every client registers the SP's back-channel logout URI.
 */
export const oidcProviderPeer: PeerDefinition<OidcProviderHandle> = {
  id: 'oidc-provider',
  title: `oidc-provider ${npmVersion('oidc-provider')} → ssoproof sp`,
  packages: [],
  needs: [],
  portOffset: 40,
  portCount: 6,
  async start(env, ports) {
    const [providerPort, ...spPorts] = ports
    const issuer = `http://127.0.0.1:${providerPort}`
    const dir = join(env.runDir, 'oidc-provider')
    mkdirSync(dir, { recursive: true })
    const names = Object.keys(settings) as ProviderSpName[]
    const sps = names.map((name, i) => ({
      name,
      url: `http://127.0.0.1:${spPorts[i]}`,
      port: spPorts[i] as number,
      clientId: `ssoproof-sp-${name}`,
      // HS256 signs with the secret: 32 bytes or more (RFC 7518 §3.2).
      secret: randomBytes(32).toString('base64url'),
      ...settings[name],
    }))
    const configFile = join(dir, 'provider.json')
    const clients = sps.map((sp) => ({
      client_id: sp.clientId,
      client_secret: sp.secret,
      redirect_uris: [`${sp.url}/oidc/callback`],
      post_logout_redirect_uris: [`${sp.url}/`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: sp.alg,
      ...(sp.pairwise ? { subject_type: 'pairwise' } : {}),
      backchannel_logout_uri: `${sp.url}/oidc/backchannel-logout`,
      backchannel_logout_session_required: true,
    }))
    writeFileSync(configFile, JSON.stringify({ port: providerPort, issuer, clients }), {
      mode: 0o600,
    })
    const provider = env.supervisor.spawn({
      name: 'oidc-provider',
      command: process.execPath,
      args: ['--import', 'tsx', join(here, 'provider.ts'), configFile],
      cwd: root,
    })
    await answers(env, `${issuer}/.well-known/openid-configuration`, provider)
    const processes = sps.map((sp) =>
      env.supervisor.spawn({
        name: `oidc-provider-sp-${sp.name}`,
        command: process.execPath,
        args: [
          join(root, 'bin', 'ssoproof.js'),
          'sp',
          '--oidc-issuer',
          issuer,
          '--client-id',
          sp.clientId,
          // One word with its value: a random secret may start with "-", which would read as a flag.
          `--client-secret=${sp.secret}`,
          ...(sp.fromDiscovery ? [] : ['--id-token-alg', sp.alg]),
          '--port',
          String(sp.port),
          '--host',
          '127.0.0.1',
          '--data',
          join(dir, `sp-${sp.name}`),
        ],
        cwd: root,
      }),
    )
    await Promise.all(sps.map((sp, i) => answers(env, `${sp.url}/api/session`, processes[i])))
    return {
      handle: {
        issuer,
        spUrl: (name) => sps.find((sp) => sp.name === name)?.url ?? '',
      },
      logFiles: [provider.logFile, ...processes.map((process) => process.logFile)],
    }
  },
}

async function answers(
  env: LabEnvironment,
  url: string,
  process: Parameters<typeof poll>[1]['process'],
): Promise<void> {
  await poll(url, { ...(process ? { process } : {}), timeoutMs: 90_000 }, () =>
    env.fetch(new Request(url)).then(
      (response) => response.ok,
      () => false,
    ),
  )
}
