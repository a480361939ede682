import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { create } from 'xmlbuilder2'
import { isoInstant } from '../../core/clock/index.ts'
import { bindings } from '../../core/saml/constants.ts'
import { ns } from '../../core/xml/index.ts'
import { type AuthnRequestContent, buildAuthnRequest } from './build-authn-request.ts'

/** The AuthnRequest as xmlbuilder2 built it before: the form IdPs have been reading. */
function viaXmlbuilder2(content: AuthnRequestContent): string {
  const root = create().ele(ns.samlp, 'samlp:AuthnRequest', {
    'xmlns:saml': ns.saml,
    ID: content.id,
    Version: '2.0',
    IssueInstant: isoInstant(content.issueInstant),
    Destination: content.destination,
    AssertionConsumerServiceURL: content.acsUrl,
    ProtocolBinding: content.protocolBinding ?? bindings.post,
    ...(content.forceAuthn ? { ForceAuthn: 'true' } : {}),
    ...(content.isPassive ? { IsPassive: 'true' } : {}),
  })
  root.ele(ns.saml, 'saml:Issuer').txt(content.issuer)
  root.ele(ns.samlp, 'samlp:NameIDPolicy', { AllowCreate: 'true' })
  const requested = content.requestedAuthnContext
  if (requested) {
    const element = root.ele(ns.samlp, 'samlp:RequestedAuthnContext', {
      Comparison: requested.comparison,
    })
    for (const classRef of requested.classRefs) {
      element.ele(ns.saml, 'saml:AuthnContextClassRef').txt(classRef)
    }
  }
  return root.end({ headless: true })
}

// Characters that need escaping or look like markup, among ordinary ones.
const text = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', ' ', '&', '<', '>', '"', "'", ':', '/', '?', '=', 'é'),
  minLength: 1,
  maxLength: 16,
})
const content: fc.Arbitrary<AuthnRequestContent> = fc.record(
  {
    id: text,
    issueInstant: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    destination: text,
    issuer: text,
    acsUrl: text,
    forceAuthn: fc.boolean(),
    isPassive: fc.boolean(),
    protocolBinding: fc.constantFrom(bindings.post, bindings.artifact),
    requestedAuthnContext: fc.record({
      classRefs: fc.array(text, { minLength: 1, maxLength: 3 }),
      comparison: fc.constantFrom('exact', 'minimum', 'better', 'maximum'),
    }),
  },
  { requiredKeys: ['id', 'issueInstant', 'destination', 'issuer', 'acsUrl'] },
)

describe('buildAuthnRequest', () => {
  it('writes byte for byte the AuthnRequest xmlbuilder2 wrote', () => {
    fc.assert(
      fc.property(content, (request) => {
        expect(buildAuthnRequest(request)).toBe(viaXmlbuilder2(request))
      }),
      { numRuns: 300 },
    )
  })

  it('asks for a Response by HTTP-POST at the ACS, with its ID, issuer and time', () => {
    expect(
      buildAuthnRequest({
        id: '_a1',
        issueInstant: Date.UTC(2026, 0, 2, 3, 4, 5),
        destination: 'http://127.0.0.1:28750/saml/sso',
        issuer: 'http://127.0.0.1:28751/saml/metadata',
        acsUrl: 'http://127.0.0.1:28751/saml/acs?a=1&b=2',
      }),
    ).toBe(
      `<samlp:AuthnRequest xmlns:samlp="${ns.samlp}" xmlns:saml="${ns.saml}" ID="_a1" Version="2.0" IssueInstant="2026-01-02T03:04:05Z" Destination="http://127.0.0.1:28750/saml/sso" AssertionConsumerServiceURL="http://127.0.0.1:28751/saml/acs?a=1&amp;b=2" ProtocolBinding="${bindings.post}"><saml:Issuer>http://127.0.0.1:28751/saml/metadata</saml:Issuer><samlp:NameIDPolicy AllowCreate="true"/></samlp:AuthnRequest>`,
    )
  })
})

describe('buildAuthnRequest from a template', () => {
  // Few values, so that connections often share all settings but one.
  const setting = fc.oneof(fc.constantFrom('http://a/x', 'http://b/x', 'a&b'), text)
  const connection = fc.record({ destination: setting, issuer: setting, acsUrl: setting })
  // The kinds of request one connection sends: passive or not, by POST or by artifact…
  const kind = fc.record({
    forceAuthn: fc.boolean(),
    isPassive: fc.boolean(),
    protocolBinding: fc.constantFrom(bindings.post, bindings.artifact),
  })
  // IDs as the SP draws them, and some the writer escapes; settings that hold a stand-in's character.
  const id = fc.oneof(fc.stringMatching(/^_[0-9a-f]{40}$/), text)
  const odd = fc.string({
    unit: fc.constantFrom('a', '\u0000', '\u0001', '\u0002', '"'),
    minLength: 1,
    maxLength: 6,
  })

  it('writes what the writer writes for each request of a connection, ID and instant their own', () => {
    fc.assert(
      fc.property(
        fc.array(connection, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(2), kind, id, fc.integer({ min: 0, max: 4_102_444_800_000 })), {
          minLength: 1,
          maxLength: 12,
        }),
        (connections, requests) => {
          for (const [index, requestKind, requestId, issueInstant] of requests) {
            const settings = connections[index % connections.length] as (typeof connections)[0]
            const request = { ...settings, ...requestKind, id: requestId, issueInstant }
            expect(buildAuthnRequest(request)).toBe(viaXmlbuilder2(request))
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('tells apart connections whose settings hold the stand-ins or the key separator', () => {
    fc.assert(
      fc.property(odd, odd, odd, fc.stringMatching(/^_[0-9a-f]{8}$/), (a, b, c, requestId) => {
        for (const [destination, issuer, acsUrl] of [
          [a, b, c],
          [`${a}\u0000${b}`, c, a],
          [a, `${b}\u0000${c}`, a],
          [c, b, a],
        ] as const) {
          const request = { destination, issuer, acsUrl, id: requestId, issueInstant: 0 }
          expect(buildAuthnRequest(request)).toBe(viaXmlbuilder2(request))
        }
      }),
      { numRuns: 300 },
    )
  })
})
