import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PeerDefinition } from '../../lab/types.ts'
import { ssoproofPeer } from '../ssoproof/peer.ts'

export interface Xmlsec1Result {
  ok: boolean
  /** xmlsec1's own words (`OK`, `FAIL`, and its error lines). */
  output: string
}

export interface Xmlsec1Handle {
  /**
   * Verifies the signature at `signature` (an XPath) with `certificatePem` only: the
   * KeyInfo's own certificate is not trusted (`--enabled-key-data key-name`).
   */
  verify(xml: string, certificatePem: string, signature: string): Xmlsec1Result
  /** Decrypts the first EncryptedData with the private key; the document with the plaintext in place. */
  decrypt(xml: string, privateKeyPem: string): string
}

/** Elements whose `ID` attribute a Reference URI may name (SAML has no DTD to say so). */
const idElements = [
  'urn:oasis:names:tc:SAML:2.0:protocol:Response',
  'urn:oasis:names:tc:SAML:2.0:assertion:Assertion',
  'urn:oasis:names:tc:SAML:2.0:protocol:ArtifactResponse',
  'urn:oasis:names:tc:SAML:2.0:protocol:LogoutRequest',
  'urn:oasis:names:tc:SAML:2.0:protocol:LogoutResponse',
  'urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor',
]

/** xmlsec1 (the XML Security Library's command line), run once per verification. */
export const xmlsec1Peer: PeerDefinition<Xmlsec1Handle> = {
  id: 'xmlsec1',
  title: 'xmlsec1',
  packages: ['xmlsec1'],
  needs: [ssoproofPeer],
  portOffset: 0,
  portCount: 0,
  async start(env) {
    const dir = join(env.runDir, 'xmlsec1')
    const logFile = join(env.runDir, 'logs', 'xmlsec1.log')
    writeFileSync(logFile, '')
    const run = (args: string[]) => {
      const result = spawnSync('xmlsec1', args, { encoding: 'utf8', timeout: 30_000 })
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim()
      writeFileSync(logFile, `$ xmlsec1 ${args.join(' ')}\n${output}\n`, { flag: 'a' })
      return { status: result.status, output }
    }
    const version = run(['--version'])
    if (version.status !== 0) throw new Error(`xmlsec1 --version failed: ${version.output}`)
    const file = (name: string, content: string) => {
      const path = join(mkdtempSync(join(dir, 'x-')), name)
      writeFileSync(path, content)
      return path
    }
    const idArgs = idElements.flatMap((element) => ['--id-attr:ID', element])
    const handle: Xmlsec1Handle = {
      verify(xml, certificatePem, signature) {
        const { status, output } = run([
          '--verify',
          '--pubkey-cert-pem',
          file('signer.pem', certificatePem),
          '--enabled-key-data',
          'key-name',
          ...idArgs,
          '--node-xpath',
          signature,
          file('message.xml', xml),
        ])
        return { ok: status === 0 && /^OK$/m.test(output), output }
      },
      decrypt(xml, privateKeyPem) {
        const out = join(mkdtempSync(join(dir, 'x-')), 'decrypted.xml')
        const { status, output } = run([
          '--decrypt',
          '--privkey-pem',
          file('key.pem', privateKeyPem),
          '--output',
          out,
          file('encrypted.xml', xml),
        ])
        if (status !== 0) throw new Error(`xmlsec1 --decrypt failed: ${output}`)
        return readFileSync(out, 'utf8')
      },
    }
    return { handle, logFiles: [logFile] }
  },
}
