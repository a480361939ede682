import type { Credential } from '../../../core/keys/index.ts'
import { newId, systemRandom } from '../../../core/random/index.ts'
import { statusCodes } from '../../../core/saml/constants.ts'
import { basicAttributes } from '../../../idp/response/attribute-profiles.ts'
import {
  buildResponse,
  type ResponseContent,
  type SigningSettings,
} from '../../../idp/response/build-response.ts'
import { defaultUsers } from '../../../idp/users/default-users.ts'
import { userAttributes, userSchema } from '../../../idp/users/user.ts'

export const idpEntityId = 'http://127.0.0.1:7000/saml/metadata'
export const spEntityId = 'http://127.0.0.1:7100/saml/metadata'
export const acsUrl = 'http://127.0.0.1:7100/saml/acs'

// Carol carries the most attributes of the built-in users (two roles, company, customer number).
const carol = userSchema.parse(defaultUsers.find((user) => user.id === 'carol'))

/** What the IdP puts in a successful Response to the SP, with fresh IDs on each call. */
export function successContent(now: number): ResponseContent {
  return {
    id: newId(systemRandom),
    issuer: idpEntityId,
    destination: acsUrl,
    inResponseTo: undefined,
    issueInstant: now,
    status: { code: statusCodes.success },
    assertion: {
      id: newId(systemRandom),
      nameId: carol.id,
      nameIdFormat: 'unspecified',
      audience: spEntityId,
      recipient: acsUrl,
      notBefore: now,
      notOnOrAfter: now + 300_000,
      authnInstant: now,
      sessionIndex: newId(systemRandom),
      attributes: basicAttributes(userAttributes(carol)),
    },
  }
}

/** The IdP's default for a registered SP: Assertion and Response signed, the key parsed once. */
export function idpSigning(credential: Credential): SigningSettings {
  return {
    privateKeyPem: credential.privateKeyPem,
    certificatePem: credential.certificatePem,
    privateKey: credential.privateKey,
    signResponse: true,
    signAssertion: true,
  }
}

/** One valid signed Response as the IdP issues it, issued at `now`. */
export function sampleResponse(credential: Credential, now: number): string {
  return buildResponse(successContent(now), idpSigning(credential))
}
