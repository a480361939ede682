import { describe, expect, it } from 'vitest'
import { statusCodes } from '../../core/saml/constants.ts'
import { parseXml } from '../../core/xml/index.ts'
import { isNoPassiveResponse, isPassiveRefusal } from './passive-sign-in.ts'

const response = (status: string, sub?: string) =>
  parseXml(
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2030-01-01T12:00:00Z" InResponseTo="_q"><samlp:Status><samlp:StatusCode Value="${status}">${
      sub ? `<samlp:StatusCode Value="${sub}"/>` : ''
    }</samlp:StatusCode></samlp:Status></samlp:Response>`,
  )

describe('passive sign-in answers', () => {
  it('knows a NoPassive Response from a success or another refusal (saml-core §3.2.2.2)', () => {
    expect(isNoPassiveResponse(response(statusCodes.responder, statusCodes.noPassive))).toBe(true)
    expect(isNoPassiveResponse(response(statusCodes.responder, statusCodes.authnFailed))).toBe(
      false,
    )
    expect(isNoPassiveResponse(response(statusCodes.responder))).toBe(false)
    expect(isNoPassiveResponse(response(statusCodes.success, statusCodes.noPassive))).toBe(false)
    expect(
      isNoPassiveResponse(
        parseXml(
          `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:Status><samlp:StatusCode Value="${statusCodes.responder}"><samlp:StatusCode Value="${statusCodes.noPassive}"/></samlp:StatusCode></samlp:Status></samlp:LogoutResponse>`,
        ),
      ),
    ).toBe(false)
  })

  it('takes the OIDC Core §3.1.2.6 errors as "no silent sign-in", and nothing else', () => {
    for (const error of [
      'login_required',
      'interaction_required',
      'consent_required',
      'account_selection_required',
    ]) {
      expect(isPassiveRefusal(error)).toBe(true)
    }
    for (const error of [undefined, 'access_denied', 'server_error', 'LOGIN_REQUIRED', '']) {
      expect(isPassiveRefusal(error)).toBe(false)
    }
  })
})
