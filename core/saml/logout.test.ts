import { describe, expect, it } from 'vitest'
import { SsoError } from '../errors/index.ts'
import { parseXml } from '../xml/index.ts'
import { logoutReasons, nameIdFormats, statusCodes } from './constants.ts'
import {
  buildLogoutRequest,
  buildLogoutResponse,
  checkLogoutNotExpired,
  readLogoutRequest,
  readLogoutResponse,
  sameNameId,
} from './logout.ts'

const at = (iso: string) => Date.parse(iso)

const request = {
  id: '_req1',
  issueInstant: at('2030-01-01T12:00:00Z'),
  destination: 'https://idp.example/slo',
  issuer: 'https://sp.example/metadata',
  nameId: 'alice@example.com',
  nameIdFormat: nameIdFormats.emailAddress,
  sessionIndexes: ['_s1', '_s2'],
  notOnOrAfter: at('2030-01-01T12:05:00Z'),
  reason: logoutReasons.user,
}

function codeOf(action: () => unknown): { code: string; check: string } | undefined {
  try {
    action()
    return undefined
  } catch (error) {
    if (error instanceof SsoError) return { code: error.code, check: error.check }
    throw error
  }
}

const samlp = 'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"'
const saml = 'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"'
const head = `ID="_x" Version="2.0" IssueInstant="2030-01-01T12:00:00Z"`

describe('LogoutRequest', () => {
  it('round-trips every field', () => {
    const xml = buildLogoutRequest(request)
    expect(xml).toContain('<samlp:SessionIndex>_s1</samlp:SessionIndex>')
    const read = readLogoutRequest(parseXml(xml))
    expect(read).toMatchObject({
      id: '_req1',
      issueInstant: request.issueInstant,
      destination: request.destination,
      issuer: request.issuer,
      nameId: 'alice@example.com',
      nameIdFormat: nameIdFormats.emailAddress,
      sessionIndexes: ['_s1', '_s2'],
      notOnOrAfter: request.notOnOrAfter,
      reason: logoutReasons.user,
    })
    expect(read.element.localName).toBe('LogoutRequest')
  })

  it('leaves out what is not given: Format, SessionIndex, NotOnOrAfter, Reason', () => {
    const xml = buildLogoutRequest({
      ...request,
      nameIdFormat: undefined,
      sessionIndexes: [],
      notOnOrAfter: undefined,
      reason: undefined,
    })
    expect(xml).not.toMatch(/Format=|SessionIndex|NotOnOrAfter|Reason=/)
    expect(readLogoutRequest(parseXml(xml))).toMatchObject({
      nameIdFormat: undefined,
      sessionIndexes: [],
      notOnOrAfter: undefined,
    })
  })

  it.each([
    [`<samlp:AuthnRequest ${samlp} ${head}/>`, 'LogoutRequest'],
    [
      `<samlp:LogoutRequest ${samlp} ID="_x" Version="1.1" IssueInstant="2030-01-01T12:00:00Z"/>`,
      'Version',
    ],
    [`<samlp:LogoutRequest ${samlp} Version="2.0" IssueInstant="2030-01-01T12:00:00Z"/>`, 'ID'],
    [`<samlp:LogoutRequest ${samlp} ID="_x" Version="2.0"/>`, 'IssueInstant'],
    [
      `<samlp:LogoutRequest ${samlp} ${saml} ${head}><saml:NameID>a</saml:NameID></samlp:LogoutRequest>`,
      'Issuer',
    ],
    [
      `<samlp:LogoutRequest ${samlp} ${saml} ${head}><saml:Issuer Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">x</saml:Issuer><saml:NameID>a</saml:NameID></samlp:LogoutRequest>`,
      'Issuer',
    ],
    [
      `<samlp:LogoutRequest ${samlp} ${saml} ${head}><saml:Issuer>x</saml:Issuer></samlp:LogoutRequest>`,
      'NameID',
    ],
    [
      `<samlp:LogoutRequest ${samlp} ${saml} ${head}><saml:Issuer>x</saml:Issuer><saml:NameID> </saml:NameID></samlp:LogoutRequest>`,
      'NameID',
    ],
    [
      `<samlp:LogoutRequest ${samlp} ${saml} ${head}><saml:Issuer>x</saml:Issuer><saml:EncryptedID/></samlp:LogoutRequest>`,
      'EncryptedID',
    ],
  ])('refuses %s (SAML_LOGOUT_REQUEST_INVALID at %s)', (xml, check) => {
    expect(codeOf(() => readLogoutRequest(parseXml(xml)))).toEqual({
      code: 'SAML_LOGOUT_REQUEST_INVALID',
      check,
    })
  })

  it('refuses a NotOnOrAfter that is not a UTC xs:dateTime (SAML_TIMESTAMP_INVALID)', () => {
    const xml = buildLogoutRequest(request).replace(
      '2030-01-01T12:05:00Z',
      '2030-01-01T12:05:00+02:00',
    )
    expect(codeOf(() => readLogoutRequest(parseXml(xml)))?.code).toBe('SAML_TIMESTAMP_INVALID')
  })

  it('is expired from NotOnOrAfter plus the skew on, and never without NotOnOrAfter', () => {
    const read = readLogoutRequest(parseXml(buildLogoutRequest(request)))
    const end = at('2030-01-01T12:05:00Z')
    expect(() => checkLogoutNotExpired(read, end + 59_999, 60_000)).not.toThrow()
    expect(codeOf(() => checkLogoutNotExpired(read, end + 60_000, 60_000))?.code).toBe(
      'SAML_LOGOUT_EXPIRED',
    )
    const open = readLogoutRequest(
      parseXml(buildLogoutRequest({ ...request, notOnOrAfter: undefined })),
    )
    expect(() => checkLogoutNotExpired(open, end + 3_600_000, 0)).not.toThrow()
  })
})

describe('LogoutResponse', () => {
  const response = {
    id: '_res1',
    issueInstant: at('2030-01-01T12:00:01Z'),
    destination: 'https://sp.example/slo',
    inResponseTo: '_req1',
    issuer: 'https://idp.example/metadata',
    status: { code: statusCodes.success },
  }

  it('round-trips Success, and a two-level status with a message', () => {
    expect(readLogoutResponse(parseXml(buildLogoutResponse(response)))).toMatchObject({
      id: '_res1',
      destination: 'https://sp.example/slo',
      inResponseTo: '_req1',
      issuer: 'https://idp.example/metadata',
      status: { code: statusCodes.success, subCode: undefined, message: undefined },
    })
    const partial = buildLogoutResponse({
      ...response,
      status: {
        code: statusCodes.responder,
        subCode: statusCodes.partialLogout,
        message: 'some left',
      },
    })
    expect(readLogoutResponse(parseXml(partial)).status).toEqual({
      code: statusCodes.responder,
      subCode: statusCodes.partialLogout,
      message: 'some left',
    })
  })

  it('refuses a response without Status or StatusCode, or of another kind', () => {
    const noStatus = `<samlp:LogoutResponse ${samlp} ${saml} ${head}><saml:Issuer>x</saml:Issuer></samlp:LogoutResponse>`
    expect(codeOf(() => readLogoutResponse(parseXml(noStatus)))).toEqual({
      code: 'SAML_LOGOUT_RESPONSE_INVALID',
      check: 'Status',
    })
    const emptyStatus = noStatus.replace('</saml:Issuer>', '</saml:Issuer><samlp:Status/>')
    expect(codeOf(() => readLogoutResponse(parseXml(emptyStatus)))?.check).toBe('Status')
    expect(codeOf(() => readLogoutResponse(parseXml(buildLogoutRequest(request))))).toEqual({
      code: 'SAML_LOGOUT_RESPONSE_INVALID',
      check: 'LogoutResponse',
    })
  })
})

describe('sameNameId', () => {
  it('compares value and Format, reading a missing Format as unspecified', () => {
    const alice = { nameId: 'alice', nameIdFormat: undefined }
    expect(sameNameId(alice, { nameId: 'alice', nameIdFormat: nameIdFormats.unspecified })).toBe(
      true,
    )
    expect(sameNameId(alice, { nameId: 'alice', nameIdFormat: nameIdFormats.persistent })).toBe(
      false,
    )
    expect(sameNameId(alice, { nameId: 'Alice', nameIdFormat: undefined })).toBe(false)
  })
})
