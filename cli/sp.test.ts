import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildIdpMetadata } from '../core/saml/metadata-build.ts'
import { cliCommand } from '../tests/fixtures/cli-command.ts'
import { testCredentials } from '../tests/fixtures/in-process.ts'

let folder: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ssoproof-sp-cli-'))
})

afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

/** Runs `ssoproof sp …` (which must fail before serving) and returns its exit code and stderr. */
function run(...args: string[]): Promise<{ code: number; stderr: string }> {
  return cliCommand(['sp', '--port', '0', '--data', folder, ...args])
}

async function metadataFile(name: string, xml: string): Promise<string> {
  const path = join(folder, name)
  await writeFile(path, xml)
  return path
}

/**
 * An IdP's metadata with a Redirect SSO URL and, unless told otherwise, a signing certificate (as
 * `ssoproof sp` needs).
 */
async function idpMetadataFile(signingCertificates?: string[]): Promise<string> {
  const keys = await testCredentials()
  return metadataFile(
    'idp.xml',
    buildIdpMetadata({
      entityId: 'https://idp.example',
      signingCertificates: signingCertificates ?? [keys.idp.certificateBase64],
      singleSignOnServices: [
        {
          binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
          location: 'https://idp.example/sso',
        },
      ],
      singleLogoutServices: [],
      artifactResolutionServices: [],
      wantAuthnRequestsSigned: false,
      nameIdFormats: [],
    }),
  )
}

describe('ssoproof sp: usage errors exit 2', () => {
  it('refuses to start without an IdP', async () => {
    const { code, stderr } = await run()
    expect(code).toBe(2)
    expect(stderr).toContain('ssoproof sp: say which IdP to test: --saml-metadata URL|FILE')
  })

  it('refuses two IdP sources at once', async () => {
    const { code, stderr } = await run(
      '--saml-metadata',
      'idp.xml',
      '--oidc-issuer',
      'https://idp.example',
    )
    expect(code).toBe(2)
    expect(stderr).toContain('give one IdP, not several: --saml-metadata and --oidc-issuer')
  })

  it('refuses metadata it cannot read, naming the file', async () => {
    const missing = join(folder, 'no-such-metadata.xml')
    const { code, stderr } = await run('--saml-metadata', missing)
    expect(code).toBe(2)
    expect(stderr).toContain(`--saml-metadata: cannot read the file "${missing}" (ENOENT)`)
  })

  it('refuses metadata at a URL that does not answer', async () => {
    const { code, stderr } = await run('--saml-metadata', 'http://127.0.0.1:1/metadata')
    expect(code).toBe(2)
    expect(stderr).toMatch(
      /--saml-metadata: cannot fetch http:\/\/127\.0\.0\.1:1\/metadata \(\w+\)/,
    )
  })

  it('refuses OIDC without the client credentials, and options of another source', async () => {
    const oidc = await run('--oidc-issuer', 'https://idp.example', '--client-id', 'sp')
    expect(oidc.code).toBe(2)
    expect(oidc.stderr).toContain('--oidc-issuer needs --client-secret')
    const jwt = await run('--jwt-key', 'key.pem', '--client-id', 'sp')
    expect(jwt.code).toBe(2)
    expect(jwt.stderr).toContain('--client-id does not apply to --jwt-key / --jwks / --jwt-secret')
    const noLogin = await run('--jwks', 'https://idp.example/jwks')
    expect(noLogin.code).toBe(2)
    expect(noLogin.stderr).toContain('--jwt-key and --jwks need --jwt-login-url URL')
  })

  it('refuses a --mapping file that names an IdP of its own (idpMetadata)', async () => {
    const idp = await idpMetadataFile()
    const mapping = await metadataFile('mapping.yaml', 'campaigns:\n  - idpMetadata: other.xml\n')
    const { code, stderr } = await run('--saml-metadata', idp, '--mapping', mapping)
    expect(code).toBe(2)
    expect(stderr).toContain('--mapping: the IdP of ssoproof sp comes from its own options')
  })
})

describe('ssoproof sp: algorithms, client authentication and scope', () => {
  it.each([
    [['--id-token-alg', 'none'], '--id-token-alg: "none" is not an algorithm ssoproof verifies'],
    [['--id-token-alg', 'RS256,HS257'], '"HS257" is not an algorithm'],
    [
      ['--client-auth', 'private_key_jwt'],
      '--client-auth must be one of client_secret_basic, client_secret_post, none',
    ],
    [['--client-auth', 'none', '--id-token-alg', 'HS256'], 'verified with --client-secret'],
    [['--jwt-alg', 'RS256'], '--jwt-alg does not apply to --oidc-issuer'],
  ])('OIDC %j is a usage error', async (extra, message) => {
    const { code, stderr } = await run(
      '--oidc-issuer',
      'https://idp.example',
      '--client-id',
      'sp',
      ...(extra.includes('--client-auth') ? [] : ['--client-secret', 'a-secret']),
      ...extra,
    )
    expect(code).toBe(2)
    expect(stderr).toContain(message)
  })

  it.each([
    [['--jwt-secret', 's'.repeat(32)], 'add --jwt-alg HS256'],
    [
      ['--jwks', 'https://idp.example/jwks', '--jwt-alg', 'HS256'],
      'give the shared secret with --jwt-secret',
    ],
    [
      ['--jwks', 'https://idp.example/jwks', '--scope', 'openid'],
      '--scope does not apply to --jwt-key',
    ],
  ])('JWT %j is a usage error', async (extra, message) => {
    const { code, stderr } = await run('--jwt-login-url', 'https://idp.example/jwt/login', ...extra)
    expect(code).toBe(2)
    expect(stderr).toContain(message)
  })
})

describe('ssoproof sp: metadata that is not an IdP is refused with a code', () => {
  it('SP_IDP_METADATA_INVALID without an IDPSSODescriptor', async () => {
    const path = await metadataFile(
      'sp-metadata.xml',
      '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>',
    )
    const { code, stderr } = await run('--saml-metadata', path)
    expect(code).toBe(1)
    expect(stderr).toContain('SP_IDP_METADATA_INVALID')
    expect(stderr).toContain('no EntityDescriptor with an IDPSSODescriptor')
    expect(existsSync(join(folder, 'standalone-sp.sqlite'))).toBe(false)
  })

  it('SP_IDP_METADATA_INVALID without a signing certificate', async () => {
    const path = await idpMetadataFile([])
    const { code, stderr } = await run('--saml-metadata', path)
    expect(code).toBe(1)
    expect(stderr).toContain('SP_IDP_METADATA_INVALID')
    expect(stderr).toContain('lists no signing certificate')
  })

  it('XML_DOCTYPE_FORBIDDEN for metadata with a DOCTYPE (core/xml refuses it)', async () => {
    const keys = await testCredentials()
    const xml = buildIdpMetadata({
      entityId: 'https://idp.example',
      signingCertificates: [keys.idp.certificateBase64],
      singleSignOnServices: [],
      singleLogoutServices: [],
      artifactResolutionServices: [],
      wantAuthnRequestsSigned: false,
      nameIdFormats: [],
    }).replace('?>', '?><!DOCTYPE x [<!ENTITY e "boom">]>')
    const { code, stderr } = await run('--saml-metadata', await metadataFile('doctype.xml', xml))
    expect(code).toBe(1)
    expect(stderr).toContain('XML_DOCTYPE_FORBIDDEN')
  })
})

describe('ssoproof sp: a database file it cannot use', () => {
  it('STORE_UNUSABLE naming standalone-sp.sqlite, which is left as it was, and no port held', async () => {
    const metadata = await idpMetadataFile()
    const file = join(folder, 'standalone-sp.sqlite')
    const text = 'kept by hand: not a database\n'.repeat(100)
    await writeFile(file, text)
    const listening = () =>
      process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length
    const before = listening()
    const { code, stderr } = await run('--saml-metadata', metadata)
    expect(code).toBe(1)
    expect(stderr).toContain(
      `STORE_UNUSABLE: the SP database ${file} cannot be used: it is not an SQLite database`,
    )
    expect(await readFile(file, 'utf8')).toBe(text)
    expect(listening()).toBe(before)
  })
})
