import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Credential } from '../../core/keys/index.ts'
import { bindings } from '../../core/saml/constants.ts'
import { createSp, type Sp } from '../../sp/create-sp.tsx'
import { idpUrl, spUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { readMetadataSource, registrationFromMetadata } from './from-metadata.ts'
import { defaultAcs } from './registration.ts'
import { createServiceProviderRegistry } from './registry.ts'

let root: string
let keys: { idp: Credential; sp: Credential; other: Credential }

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ssoproof-registry-'))
  keys = await testCredentials()
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

function referenceSp(signAuthnRequests = false): Sp {
  return createSp({
    baseUrl: spUrl,
    credential: keys.sp,
    idp: { entityId: `${idpUrl}/saml/metadata`, ssoUrl: `${idpUrl}/saml/sso`, certificates: [] },
    signAuthnRequests,
    log: () => {},
  })
}

describe('readMetadataSource', () => {
  it('reads a file path', async () => {
    const path = join(root, 'sp-metadata.xml')
    const xml = referenceSp().metadata()
    await writeFile(path, xml)
    expect(await readMetadataSource(path)).toBe(xml)
  })

  it('refuses a missing file (CONFIG_INVALID, ENOENT)', async () => {
    const path = join(root, 'missing.xml')
    await expect(readMetadataSource(path)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      check: 'metadata',
      evidence: { source: path, cause: 'ENOENT' },
    })
  })

  it('fetches an http(s) URL through the injected fetch', async () => {
    const calls: { url: string; signal: boolean }[] = []
    const fetchImpl: typeof fetch = async (input, init) => {
      calls.push({ url: String(input), signal: init?.signal instanceof AbortSignal })
      return new Response('<md:EntityDescriptor/>', { status: 200 })
    }
    expect(await readMetadataSource('http://sp.example.com/metadata', fetchImpl)).toBe(
      '<md:EntityDescriptor/>',
    )
    expect(await readMetadataSource('HTTPS://sp.example.com/metadata', fetchImpl)).toBe(
      '<md:EntityDescriptor/>',
    )
    expect(calls).toEqual([
      { url: 'http://sp.example.com/metadata', signal: true },
      { url: 'HTTPS://sp.example.com/metadata', signal: true },
    ])
  })

  it('refuses a URL that answers HTTP 500 (CONFIG_INVALID with the status)', async () => {
    const fetchImpl: typeof fetch = async () => new Response('oops', { status: 500 })
    await expect(
      readMetadataSource('https://sp.example.com/metadata', fetchImpl),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      reason: 'metadata URL answered HTTP 500',
      evidence: { source: 'https://sp.example.com/metadata', status: 500 },
    })
  })

  it('refuses a URL that cannot be fetched (CONFIG_INVALID with the error name)', async () => {
    const fetchImpl: typeof fetch = async () => {
      throw new TypeError('fetch failed')
    }
    await expect(
      readMetadataSource('https://sp.example.com/metadata', fetchImpl),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      evidence: { source: 'https://sp.example.com/metadata', cause: 'TypeError' },
    })
  })

  it('treats a non-http source as a file path, never as a URL to fetch', async () => {
    let fetched = false
    const fetchImpl: typeof fetch = async () => {
      fetched = true
      return new Response('')
    }
    await expect(
      readMetadataSource('ftp://sp.example.com/metadata', fetchImpl),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', evidence: { cause: 'ENOENT' } })
    expect(fetched).toBe(false)
  })
})

describe('registrationFromMetadata', () => {
  it('round-trips the reference SP metadata into a registration', () => {
    const input = registrationFromMetadata(referenceSp().metadata())
    expect(input).toEqual({
      entityId: `${spUrl}/saml/metadata`,
      assertionConsumerServices: [
        { location: `${spUrl}/saml/acs`, binding: bindings.post, index: 0, isDefault: true },
        { location: `${spUrl}/saml/acs`, binding: bindings.artifact, index: 1 },
      ],
      certificates: [keys.sp.certificateBase64],
      requireSignedAuthnRequests: false,
      encryptionCertificates: [keys.sp.certificateBase64],
      nameIdFormats: ['unspecified', 'emailAddress', 'persistent'],
      singleLogoutServices: [
        { location: `${spUrl}/saml/slo`, binding: bindings.redirect },
        { location: `${spUrl}/saml/slo`, binding: bindings.post },
      ],
    })
    const registered = createServiceProviderRegistry([input]).get(`${spUrl}/saml/metadata`)
    expect(registered).toMatchObject({ signResponse: true, signAssertion: true })
    expect(registered && defaultAcs(registered)?.location).toBe(`${spUrl}/saml/acs`)
  })

  it('takes the encryption certificate from the metadata, so encryptAssertion can be switched on', () => {
    const input = registrationFromMetadata(referenceSp().metadata(), { encryptAssertion: true })
    expect(createServiceProviderRegistry([input]).get(`${spUrl}/saml/metadata`)).toMatchObject({
      encryptAssertion: true,
      encryptionAlgorithm: 'aes256-gcm',
      encryptionCertificates: [keys.sp.certificateBase64],
    })
  })

  it('refuses encryptAssertion without an RSA encryption certificate (CONFIG_INVALID, named path)', () => {
    const registry = createServiceProviderRegistry()
    const base = {
      entityId: 'https://sp.example.com',
      assertionConsumerServices: [{ location: 'https://sp.example.com/acs' }],
      encryptAssertion: true,
    }
    expect(() => registry.register(base)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        reason: expect.stringContaining(
          'encryptionCertificates: encryptAssertion needs the SP encryption certificate',
        ),
      }),
    )
    expect(() =>
      registry.register({ ...base, encryptionCertificates: ['bm90IGEgY2VydA=='] }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        reason: expect.stringContaining('encryptionCertificates.0:'),
      }),
    )
    expect(registry.list()).toEqual([])
  })

  it('refuses a signing certificate it cannot read, naming which one', () => {
    const registry = createServiceProviderRegistry()
    expect(() =>
      registry.register({
        entityId: 'https://sp.example.com',
        assertionConsumerServices: [{ location: 'https://sp.example.com/acs' }],
        certificates: [keys.sp.certificatePem, 'not a certificate'],
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        reason: expect.stringMatching(/^serviceProvider: certificates\.1: /),
      }),
    )
    expect(registry.list()).toEqual([])
  })

  it('requires signed AuthnRequests when the metadata says AuthnRequestsSigned', () => {
    expect(registrationFromMetadata(referenceSp(true).metadata()).requireSignedAuthnRequests).toBe(
      true,
    )
  })

  it('lets overrides set what metadata cannot say', () => {
    const input = registrationFromMetadata(referenceSp().metadata(), {
      nameIdFormat: 'emailAddress',
      allowIdpInitiated: false,
    })
    expect(input).toMatchObject({ nameIdFormat: 'emailAddress', allowIdpInitiated: false })
    expect(input.entityId).toBe(`${spUrl}/saml/metadata`)
  })

  it('refuses metadata without an SPSSODescriptor (CONFIG_INVALID)', () => {
    const idpOnly = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`
    expect(() => registrationFromMetadata(idpOnly)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', check: 'metadata' }),
    )
  })
})

describe('createServiceProviderRegistry', () => {
  it('refuses an invalid registration, naming the dotted path', () => {
    const registry = createServiceProviderRegistry()
    expect(() =>
      registry.register({
        entityId: 'https://sp.example.com',
        assertionConsumerServices: [{ location: 'https://sp.example.com/acs', index: -1 }],
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        reason: expect.stringMatching(/^serviceProvider: assertionConsumerServices\.0\.index: /),
      }),
    )
    expect(() => registry.register({ entityId: 'x', assertionConsumerServices: [] })).toThrow(
      expect.objectContaining({
        reason: expect.stringMatching(/^serviceProvider: assertionConsumerServices: /),
      }),
    )
    expect(registry.list()).toEqual([])
  })

  it('replaces a registration under the same entity ID', () => {
    const registry = createServiceProviderRegistry([
      { entityId: 'x', assertionConsumerServices: [{ location: 'https://a.example/acs' }] },
    ])
    registry.register({
      entityId: 'x',
      assertionConsumerServices: [{ location: 'https://b.example/acs' }],
    })
    expect(registry.list()).toHaveLength(1)
    expect(registry.get('x')?.assertionConsumerServices[0]?.location).toBe('https://b.example/acs')
  })
})
