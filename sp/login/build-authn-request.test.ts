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
