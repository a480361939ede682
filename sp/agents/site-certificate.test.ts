import { webcrypto } from 'node:crypto'
import { parse } from 'node-html-parser'
import { describe, expect, it } from 'vitest'
import { X509CertificateGenerator } from '../../core/keys/test-support.ts'
import { idpUrl, spUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { createSp } from '../create-sp.tsx'
import type { AgentSsoSettings } from './settings.ts'
import { agentPair } from './test-support.ts'

const dayMs = 86_400_000

/** A self-signed certificate whose own signature uses `hash` (the IdP's key is beside the point). */
async function certificateSignedWith(hash: 'SHA-1' | 'SHA-256' | 'SHA-512'): Promise<string> {
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash,
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  }
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair
  const certificate = await X509CertificateGenerator.createSelfSigned(
    {
      name: `CN=${hash} IdP`,
      notBefore: new Date('2029-01-01T00:00:00Z'),
      notAfter: new Date('2039-01-01T00:00:00Z'),
      signingAlgorithm: algorithm,
      keys,
    },
    webcrypto,
  )
  return certificate.toString('pem')
}

async function spWithSite(site: AgentSsoSettings['sites'][number]) {
  const keys = await testCredentials()
  return () =>
    createSp({
      baseUrl: spUrl,
      credential: keys.sp,
      idp: { entityId: `${idpUrl}/saml/metadata`, ssoUrl: `${idpUrl}/saml/sso`, certificates: [] },
      agentSso: { sites: [site] },
      log: () => {},
    })
}

const samlSite = { id: '1001', loginUrl: `${idpUrl}/saml/sso`, issuer: `${idpUrl}/saml/metadata` }

describe("an agent site's IdP certificate", () => {
  it('is refused at start when it is SHA-1 signed, with its own code naming the setting', async () => {
    const start = await spWithSite({
      ...samlSite,
      certificate: await certificateSignedWith('SHA-1'),
    })
    expect(start).toThrow(
      expect.objectContaining({
        code: 'AGENT_CERTIFICATE_NOT_SHA256',
        check: 'agentSso.sites.0.certificate',
        evidence: expect.objectContaining({ hash: 'SHA-1' }),
      }),
    )
  })

  it.each(['SHA-256', 'SHA-512'] as const)('is accepted when %s signed', async (hash) => {
    const start = await spWithSite({ ...samlSite, certificate: await certificateSignedWith(hash) })
    expect(start().agentSso?.sites.get('1001')?.certificates[0]?.signatureHash).toBe(hash)
  })

  it('takes two certificates during a rollover, each read and checked; a third is refused', async () => {
    const current = await certificateSignedWith('SHA-256')
    const next = await certificateSignedWith('SHA-512')
    const two = await spWithSite({ ...samlSite, certificate: [current, next] })
    expect(
      two()
        .agentSso?.sites.get('1001')
        ?.certificates.map((each) => each.signatureHash),
    ).toEqual(['SHA-256', 'SHA-512'])
    const withSha1 = await spWithSite({
      ...samlSite,
      certificate: [current, await certificateSignedWith('SHA-1')],
    })
    expect(withSha1).toThrow(
      expect.objectContaining({
        code: 'AGENT_CERTIFICATE_NOT_SHA256',
        check: 'agentSso.sites.0.certificate.1',
      }),
    )
    const three = await spWithSite({ ...samlSite, certificate: [current, next, current] })
    expect(three).toThrow('sites.0.certificate: a certificate, or at most two certificates')
    expect(three).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
  })

  it.each([
    [
      'an unreadable certificate',
      { ...samlSite, certificate: 'not a certificate' },
      'agentSso.sites.0.certificate',
    ],
    [
      'SSO on without the IdP login page',
      { id: '1001', certificate: 'x', issuer: 'i' },
      'sites.0.loginUrl',
    ],
    [
      'SSO on in SAML without the IdP entity ID',
      { id: '1001', certificate: 'x', loginUrl: `${idpUrl}/x` },
      'sites.0.issuer',
    ],
    ['a site ID with a space', { id: '10 01', ssoOn: false }, 'sites.0.id'],
  ])('refuses %s as CONFIG_INVALID naming the setting', async (_, site, path) => {
    const start = await spWithSite(site)
    expect(start).toThrow(path)
    expect(start).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
  })

  it('warns in the admin view when it expires within 30 days: at 29 days, not at 31', async () => {
    const pair = await agentPair()
    const notAfter = pair.keys.idp.notAfter.getTime()
    const admin = async () => {
      const page = parse(await (await pair.sp.app.request('/admin')).text())
      const sites = (await (await pair.sp.app.request('/admin/agent-sites')).json()) as {
        sites: Array<{
          id: string
          warnings: Array<{ code: string; evidence: { daysLeft: number } }>
        }>
      }
      return { page, site: sites.sites.find((site) => site.id === '1001') }
    }

    pair.clock.set(notAfter - 31 * dayMs)
    const early = await admin()
    expect(early.page.querySelectorAll('.certificate-warning')).toHaveLength(0)
    expect(early.site?.warnings).toEqual([])

    pair.clock.set(notAfter - 29 * dayMs)
    const late = await admin()
    const warnings = late.page.querySelectorAll('.certificate-warning[data-site="1001"]')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.text).toContain('expires in 29 days')
    expect(late.site?.warnings[0]?.code).toBe('AGENT_CERTIFICATE_EXPIRING')
    expect(late.site?.warnings[0]?.evidence.daysLeft).toBe(29)

    pair.clock.set(notAfter + 2 * dayMs)
    const expired = await admin()
    expect(expired.page.querySelector('.certificate-warning')?.text).toContain('expired 2 days ago')
  })
})
