import { deflateRawSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { maxBodyBytes, maxUrlBytes } from '../../core/http/create-app.ts'
import { parseXml, xmlLimits } from '../../core/xml/index.ts'
import { idpUrl, spUrl } from '../fixtures/in-process.ts'
import { expectClearAnswer, maxRequestMs, send } from './answer.ts'
import { type FuzzPair, fuzzPair } from './fuzz-pair.ts'
import { samlResponse } from './valid-messages.ts'

/** Each input cap of README "Limits" and tests/fuzz/README.md, hit through the real apps. */
describe('size caps on every input', () => {
  let saml: FuzzPair
  let jwt: FuzzPair
  let oidc: FuzzPair
  beforeAll(async () => {
    ;[saml, jwt, oidc] = await Promise.all([
      fuzzPair(),
      fuzzPair({ protocol: 'jwt' }),
      fuzzPair({ protocol: 'oidc' }),
    ])
  })

  const post = (url: string, body: string) =>
    new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    })

  it('a request URL over 64 KiB is refused with URL_TOO_LONG (414) at the SP and the IdP; one just under is read', async () => {
    const over = (base: string) => `${base}${'x'.repeat(maxUrlBytes - base.length + 1)}`
    const under = (base: string) => `${base}${'x'.repeat(maxUrlBytes - base.length)}`
    for (const [app, base] of [
      [oidc.sp.app, `${spUrl}/oidc/callback?state=s&code=`],
      [oidc.idp.app, `${idpUrl}/oidc/authorize?response_type=code&state=`],
      [saml.sp.app, `${spUrl}/saml/slo?SAMLRequest=`],
      [jwt.sp.app, `${spUrl}/jwt/callback?token=`],
    ] as const) {
      const refused = await send(app.fetch, new Request(over(base)))
      expect([refused.status, refused.code], base).toEqual([414, 'URL_TOO_LONG'])
      const read = await send(app.fetch, new Request(under(base)))
      expect(read.code, base).not.toBe('URL_TOO_LONG')
      expectClearAnswer(read, base)
    }
  })

  it('a request body over 2 MiB is refused with XML_TOO_LARGE (413) at the SP too', async () => {
    const answer = await send(
      saml.sp.app.fetch,
      post(`${spUrl}/saml/acs`, `SAMLResponse=${'A'.repeat(maxBodyBytes + 1)}`),
    )
    expect([answer.status, answer.code]).toEqual([413, 'XML_TOO_LARGE'])
  })

  it('a SAMLResponse over the 1 MiB XML cap is refused with XML_TOO_LARGE before it is parsed', async () => {
    const xml = `<a>${'x'.repeat(xmlLimits.maxBytes)}</a>`
    const body = new URLSearchParams({ SAMLResponse: Buffer.from(xml).toString('base64') })
    const answer = await send(saml.sp.app.fetch, post(`${spUrl}/saml/acs`, body.toString()))
    expect([answer.status, answer.code]).toEqual([413, 'XML_TOO_LARGE'])
  })

  it('a message of more than 20,000 nodes is refused with XML_TOO_MANY_NODES (413), in time; one just under is read', async () => {
    const { xml, agent } = await samlResponse(saml)
    const padded = (extra: number) =>
      xml.replace('</saml:Issuer>', `</saml:Issuer>${'<x/>'.repeat(extra)}`)
    const acs = async (message: string) => {
      const body = new URLSearchParams({ SAMLResponse: Buffer.from(message).toString('base64') })
      const request = post(`${spUrl}/saml/acs`, body.toString())
      request.headers.set('cookie', await agent.jar.getCookieString(spUrl))
      return send(saml.sp.app.fetch, request)
    }
    // 1 MiB holds 250,000 empty elements; checking the signature over them took seconds.
    const refused = await acs(padded(200_000))
    expect([refused.status, refused.code]).toEqual([413, 'XML_TOO_MANY_NODES'])
    expect(refused.ms).toBeLessThan(maxRequestMs)
    const own = parseXml(xml).getElementsByTagName('*').length
    const read = await acs(padded(xmlLimits.maxNodes - 2 * own))
    // Parsed, then refused by the lower cap on what a signature covers, before canonicalization.
    expect([read.status, read.code]).toEqual([413, 'SAML_SIGNED_ELEMENT_TOO_LARGE'])
    expect(read.ms).toBeLessThan(maxRequestMs)
    const signedUnder = await acs(padded(xmlLimits.maxSignedItems / 2 - 4 * own))
    expect([signedUnder.status, signedUnder.code]).toEqual([403, 'SAML_SIGNATURE_INVALID'])
  }, 300_000)

  it('more than 256 attributes on one element, or 20,000 in all, is refused with XML_TOO_MANY_ATTRIBUTES (413) before parsing', async () => {
    const { xml, agent } = await samlResponse(saml)
    const acs = async (message: string) => {
      const body = new URLSearchParams({ SAMLResponse: Buffer.from(message).toString('base64') })
      const request = post(`${spUrl}/saml/acs`, body.toString())
      request.headers.set('cookie', await agent.jar.getCookieString(spUrl))
      return send(saml.sp.app.fetch, request)
    }
    const attributes = (count: number) =>
      Array.from({ length: count }, (_, i) => ` a${i}="&quot;=>'"`).join('')
    const onOne = (count: number) =>
      xml.replace('<saml:Audience>', `<saml:Audience${attributes(count)}>`)
    // Attribute values may hold `>`, `=` and the other quote: only unquoted `=` counts.
    const tooMany = await acs(onOne(xmlLimits.maxAttributesPerElement + 1))
    expect([tooMany.status, tooMany.code]).toEqual([413, 'XML_TOO_MANY_ATTRIBUTES'])
    const justUnder = await acs(onOne(xmlLimits.maxAttributesPerElement))
    expect([justUnder.status, justUnder.code]).toEqual([403, 'SAML_SIGNATURE_INVALID'])
    const spread = xml.replace(
      '</saml:Issuer>',
      `</saml:Issuer>${`<x${attributes(200)}/>`.repeat(xmlLimits.maxAttributes / 200)}`,
    )
    const inAll = await acs(spread)
    expect([inAll.status, inAll.code]).toEqual([413, 'XML_TOO_MANY_ATTRIBUTES'])
    expect(inAll.ms).toBeLessThan(maxRequestMs)
  })

  it('XML nested deeper than 64 levels is refused with XML_TOO_DEEP', async () => {
    const xml = `${'<a>'.repeat(xmlLimits.maxDepth + 1)}${'</a>'.repeat(xmlLimits.maxDepth + 1)}`
    const body = new URLSearchParams({ SAMLResponse: Buffer.from(xml).toString('base64') })
    const answer = await send(saml.sp.app.fetch, post(`${spUrl}/saml/acs`, body.toString()))
    expect(answer.code).toBe('XML_TOO_DEEP')
  })

  it('an HTTP-Redirect message inflating past 1 MiB is refused with SAML_INFLATE_TOO_LARGE', async () => {
    const bomb = deflateRawSync(Buffer.alloc(xmlLimits.maxBytes + 1, 0x20)).toString('base64')
    const answer = await send(
      saml.sp.app.fetch,
      new Request(`${spUrl}/saml/slo?SAMLRequest=${encodeURIComponent(bomb)}`),
    )
    expect(answer.code).toBe('SAML_INFLATE_TOO_LARGE')
  })

  it('a RelayState over 80 bytes is refused with SAML_RELAY_STATE_TOO_LONG', async () => {
    const body = new URLSearchParams({ SAMLResponse: 'PGEvPg==', RelayState: 'r'.repeat(81) })
    const answer = await send(saml.sp.app.fetch, post(`${spUrl}/saml/acs`, body.toString()))
    expect(answer.code).toBe('SAML_RELAY_STATE_TOO_LONG')
  })

  it('a sign-in JWT over 8 KiB is refused with JWT_TOO_LARGE (413)', async () => {
    const token = `${'a'.repeat(8192)}.b.c`
    const answer = await send(jwt.sp.app.fetch, post(`${spUrl}/jwt/callback`, `token=${token}`))
    expect([answer.status, answer.code]).toEqual([413, 'JWT_TOO_LARGE'])
  })
})
