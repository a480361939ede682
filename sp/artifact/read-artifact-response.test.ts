import type { Element } from '@xmldom/xmldom'
import { beforeAll, describe, expect, it } from 'vitest'
import { SsoError } from '../../core/errors/index.ts'
import type { Credential } from '../../core/keys/index.ts'
import { statusCodes } from '../../core/saml/constants.ts'
import { soapEnvelope, soapFault } from '../../core/saml/soap.ts'
import { attr, ns } from '../../core/xml/index.ts'
import { buildArtifactResponse } from '../../idp/artifact/build-artifact-response.ts'
import { testCredentials } from '../../tests/fixtures/in-process.ts'
import { readArtifactResponse } from './read-artifact-response.ts'
import { sendSoap } from './send-soap.ts'

const idpEntityId = 'https://idp.example/metadata'
const message = `<samlp:Response xmlns:samlp="${ns.samlp}" ID="_inner" Version="2.0" IssueInstant="2030-01-01T00:00:00Z"/>`

let keys: { idp: Credential; sp: Credential; other: Credential }
beforeAll(async () => {
  keys = await testCredentials()
})

function answer(
  overrides: Partial<Parameters<typeof buildArtifactResponse>[0]> = {},
  key: Credential = keys.idp,
) {
  const xml = buildArtifactResponse(
    {
      id: '_answer',
      issuer: idpEntityId,
      inResponseTo: '_resolve',
      issueInstant: Date.UTC(2030, 0, 1),
      status: { code: statusCodes.success },
      messageXml: message,
      ...overrides,
    },
    { privateKeyPem: key.privateKeyPem, certificatePem: key.certificatePem },
  )
  return { status: 200, text: soapEnvelope(xml) }
}

function read(soap: { status: number; text: string | undefined }) {
  return readArtifactResponse(soap, {
    resolveId: '_resolve',
    idpEntityId,
    idpCertificates: [keys.idp.certificatePem],
  })
}

function errorOf(action: () => unknown): SsoError | undefined {
  try {
    action()
    return undefined
  } catch (error) {
    if (error instanceof SsoError) return error
    throw error
  }
}

describe('reading the ArtifactResponse at the SP', () => {
  it('returns the wrapped Response in a document of its own', () => {
    const doc = read(answer())
    expect(doc.documentElement?.localName).toBe('Response')
    expect(attr(doc.documentElement as Element, 'ID')).toBe('_inner')
  })

  it('accepts an unsigned ArtifactResponse (its signature is checked when present)', () => {
    const unsigned = `<samlp:ArtifactResponse xmlns:samlp="${ns.samlp}" ID="_a" Version="2.0" InResponseTo="_resolve" IssueInstant="2030-01-01T00:00:00Z"><samlp:Status><samlp:StatusCode Value="${statusCodes.success}"/></samlp:Status>${message}</samlp:ArtifactResponse>`
    expect(read({ status: 200, text: soapEnvelope(unsigned) }).documentElement?.localName).toBe(
      'Response',
    )
  })

  it('refuses each kind of wrong answer with its own code', () => {
    const wrapped = (xml: string) => ({ status: 200, text: soapEnvelope(xml) })
    const cases: Array<[{ status: number; text: string | undefined }, string]> = [
      [answer({ inResponseTo: '_other' }), 'SAML_ARTIFACT_RESPONSE_INVALID'],
      [answer({ issuer: 'https://evil.example' }), 'SAML_ISSUER_MISMATCH'],
      [answer({}, keys.other), 'SAML_SIGNATURE_INVALID'],
      [
        answer({ status: { code: statusCodes.requester, message: 'no' } }),
        'SAML_STATUS_NOT_SUCCESS',
      ],
      [answer({ messageXml: undefined }), 'SAML_ARTIFACT_NOT_RESOLVED'],
      [
        wrapped(`<samlp:ArtifactResolve xmlns:samlp="${ns.samlp}" ID="_x" Version="2.0"/>`),
        'SAML_ARTIFACT_RESPONSE_INVALID',
      ],
      [{ status: 200, text: undefined }, 'SAML_ARTIFACT_RESPONSE_INVALID'],
      [{ status: 200, text: '' }, 'SAML_ARTIFACT_RESPONSE_INVALID'],
      [{ status: 200, text: soapFault('Server', 'busy') }, 'SAML_ARTIFACT_RESOLVE_SOAP_FAULT'],
      [{ status: 503, text: 'Service Unavailable' }, 'SAML_ARTIFACT_RESOLVE_HTTP_STATUS'],
      [{ ...answer(), status: 302 }, 'SAML_ARTIFACT_RESOLVE_HTTP_STATUS'],
    ]
    for (const [soap, code] of cases) expect(errorOf(() => read(soap))?.code).toBe(code)
  })

  it('refuses two messages in one ArtifactResponse', () => {
    const two = answer().text.replace(
      '</samlp:ArtifactResponse>',
      `${message.replace('_inner', '_second')}</samlp:ArtifactResponse>`,
    )
    // The signature would break anyway; an unsigned pair shows the count check on its own.
    const unsigned = two.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
    expect(errorOf(() => read({ status: 200, text: unsigned }))?.evidence).toEqual({ messages: 2 })
  })

  it('names the parser refusal when the answer is not SOAP', () => {
    expect(errorOf(() => read({ status: 200, text: 'garbage' }))?.evidence).toEqual({
      cause: 'XML_MALFORMED',
    })
    expect(errorOf(() => read({ status: 200, text: undefined }))?.evidence).toEqual({
      cause: 'XML_TOO_LARGE',
    })
  })
})

describe('sending SOAP from the SP', () => {
  it('posts text/xml with the SAML SOAPAction and stops reading past the size cap', async () => {
    const seen: Request[] = []
    const huge = 'x'.repeat(1_048_577)
    const answer = await sendSoap({
      fetch: async (input, init) => {
        seen.push(new Request(input, init))
        return new Response(huge, { status: 200 })
      },
      url: 'https://idp.example/saml/artifact',
      envelope: '<e/>',
      timeoutMs: 1_000,
    })
    expect(answer).toEqual({ status: 200, text: undefined })
    expect(seen[0]?.method).toBe('POST')
    expect(seen[0]?.headers.get('content-type')).toBe('text/xml; charset=utf-8')
    expect(seen[0]?.headers.get('soapaction')).toBe(
      '"http://www.oasis-open.org/committees/security"',
    )
  })
})
