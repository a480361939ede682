import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { nameIdFormats, statusCodes } from '../../core/saml/constants.ts'
import { encodeRedirect } from '../../core/saml/redirect.ts'
import { attr, firstChildElement, ns, parseXml, textContent } from '../../core/xml/index.ts'
import { buildAuthnRequest } from '../../sp/login/build-authn-request.ts'
import { idpUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { readPage } from '../../tests/fixtures/read-page.ts'
import { createIdp } from '../create-idp.tsx'

// saml-core §3.4.1.1 (NameIDPolicy), §8.3.7 (persistent) and §8.3.8 (transient).
const spA = 'https://a.example.com/saml/metadata'
const spB = 'https://b.example.com/saml/metadata'
const transientOnly = 'https://t.example.com/saml/metadata'
const acsOf = (entityId: string) => entityId.replace('/saml/metadata', '/saml/acs')

async function setup() {
  const keys = await testCredentials()
  const idp = createIdp({
    baseUrl: idpUrl,
    credential: keys.idp,
    clock: createManualClock('2030-01-01T12:00:00Z'),
    random: createSeededRandom('name-id-policy'),
    log: () => {},
    serviceProviders: [spA, spB, transientOnly].map((entityId) => ({
      entityId,
      assertionConsumerServices: [{ location: acsOf(entityId) }],
      signResponse: false,
      signAssertion: false,
      ...(entityId === transientOnly ? { nameIdFormats: ['transient' as const] } : {}),
    })),
  })
  return { idp }
}

let counter = 0

/** A sign-in of `userId` at `sp` asking for `format` (none: no NameIDPolicy); the Response read back. */
async function signIn(
  idp: ReturnType<typeof createIdp>,
  sp: string,
  userId: string,
  format?: string,
  cookie?: string,
) {
  if (!cookie) {
    await idp.app.request('/admin/next-login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    })
  }
  let xml = buildAuthnRequest({
    id: `_policy-${++counter}`,
    issueInstant: Date.parse('2030-01-01T12:00:00Z'),
    destination: `${idpUrl}/saml/sso`,
    issuer: sp,
    acsUrl: acsOf(sp),
  })
  if (format) {
    const withFormat = xml.replace(
      '<samlp:NameIDPolicy ',
      `<samlp:NameIDPolicy Format="${format}" `,
    )
    expect(withFormat).not.toBe(xml)
    xml = withFormat
  }
  const response = await idp.app.request(
    encodeRedirect({ endpoint: '/saml/sso', param: 'SAMLRequest', xml }),
    cookie ? { headers: { cookie } } : {},
  )
  const setCookie = response.headers.get('set-cookie')?.split(';')[0] ?? cookie ?? ''
  const page = await readPage(response)
  const value = page.document.querySelector('input[name=SAMLResponse]')?.getAttribute('value') ?? ''
  const root = parseXml(Buffer.from(value, 'base64').toString('utf8')).documentElement
  const status = root.getElementsByTagNameNS(ns.samlp, 'StatusCode')
  const nameId = root.getElementsByTagNameNS(ns.saml, 'NameID')[0]
  const uid = [...root.getElementsByTagNameNS(ns.saml, 'Attribute')].find(
    (a) => attr(a, 'Name') === 'id',
  )
  return {
    cookie: setCookie,
    status: status[1] ? attr(status[1] as Element, 'Value') : attr(status[0] as Element, 'Value'),
    value: nameId ? textContent(nameId) : undefined,
    format: nameId ? attr(nameId, 'Format') : undefined,
    nameQualifier: nameId ? attr(nameId, 'NameQualifier') : undefined,
    spNameQualifier: nameId ? attr(nameId, 'SPNameQualifier') : undefined,
    idAttribute: uid
      ? textContent(firstChildElement(uid, ns.saml, 'AttributeValue') as Element)
      : undefined,
  }
}

describe('NameIDPolicy and the NameID formats', () => {
  it('persistent: opaque, the same at every sign-in at one SP, another at each other SP, qualified', async () => {
    const { idp } = await setup()
    const first = await signIn(idp, spA, 'alice', nameIdFormats.persistent)
    const again = await signIn(idp, spA, 'alice', nameIdFormats.persistent)
    const elsewhere = await signIn(idp, spB, 'alice', nameIdFormats.persistent)
    const bob = await signIn(idp, spA, 'bob', nameIdFormats.persistent)
    expect(first.format).toBe(nameIdFormats.persistent)
    expect(first.value).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(first.value).not.toContain('alice')
    expect(again.value).toBe(first.value)
    expect(elsewhere.value).not.toBe(first.value)
    expect(bob.value).not.toBe(first.value)
    expect([first.nameQualifier, first.spNameQualifier]).toEqual([`${idpUrl}/saml/metadata`, spA])
    expect(first.idAttribute).toBe('alice')
  })

  it('transient: opaque and random, kept within one IdP session, new in the next', async () => {
    const { idp } = await setup()
    const first = await signIn(idp, spA, 'alice', nameIdFormats.transient)
    const sameSession = await signIn(idp, spA, 'alice', nameIdFormats.transient, first.cookie)
    const nextSession = await signIn(idp, spA, 'alice', nameIdFormats.transient)
    expect(first.format).toBe(nameIdFormats.transient)
    expect(first.value).not.toContain('alice')
    expect(sameSession.value).toBe(first.value)
    expect(nextSession.value).not.toBe(first.value)
    expect(first.idAttribute).toBe('alice')
  })

  it('emailAddress when asked; the registered format when the policy names none or unspecified', async () => {
    const { idp } = await setup()
    expect((await signIn(idp, spA, 'alice', nameIdFormats.emailAddress)).value).toBe(
      'alice@example.com',
    )
    for (const format of [undefined, nameIdFormats.unspecified]) {
      const plain = await signIn(idp, spA, 'alice', format)
      expect([plain.value, plain.format]).toEqual(['alice', nameIdFormats.unspecified])
    }
  })

  it('answers InvalidNameIDPolicy for a format it cannot give, or the SP may not ask for', async () => {
    const { idp } = await setup()
    const cases = [
      [spA, 'dave', nameIdFormats.emailAddress],
      [spA, 'alice', 'urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos'],
      [transientOnly, 'alice', nameIdFormats.persistent],
    ] as const
    for (const [sp, user, format] of cases) {
      const answer = await signIn(idp, sp, user, format)
      expect(answer.status).toBe(statusCodes.invalidNameIdPolicy)
      expect(answer.value).toBeUndefined()
    }
    expect((await signIn(idp, transientOnly, 'alice', nameIdFormats.transient)).status).toBe(
      statusCodes.success,
    )
  })
})
