import { statusCodes } from '../../../core/saml/constants.ts'
import type { ResponseContent } from '../../response/build-response.ts'
import { lookAlike } from '../look-alike.ts'
import type { FaultOf } from '../schema.ts'

/** What a value looks like when it belongs to someone else. */
const elsewhere = {
  Audience: 'https://other-sp.example/saml/metadata',
  Recipient: 'https://other-sp.example/saml/acs',
  Destination: 'https://other-sp.example/saml/acs',
  Issuer: 'https://other-idp.example/saml/metadata',
} as const

const failures = {
  AuthnFailed: statusCodes.authnFailed,
  RequestDenied: statusCodes.requestDenied,
  NoPassive: statusCodes.noPassive,
} as const

export type ContentFault = FaultOf<
  'saml-mismatch' | 'saml-in-response-to' | 'saml-status' | 'saml-nameid-look-alike'
>

/** The content fault kinds, for the hook to pick them out of the faults that apply. */
export const contentFaultKinds: readonly string[] = [
  'saml-mismatch',
  'saml-in-response-to',
  'saml-status',
  'saml-nameid-look-alike',
]

/**
 * The Response's content as the faults change it, before anything is built or signed: a value
 * meant for another party (catalogue item 10), the InResponseTo of another request, or none in
 * an SP-initiated flow (item 12) — or, for `envelope-only` (item 35), the request's own, which
 * tree-faults.ts then leaves on the Response alone —, a NameID that looks like another (item
 * 33), a non-success status without an Assertion (item 17).
 * `otherRequestId`: the ID of an earlier AuthnRequest from this SP, from the journal.
 */
export function shapeContent(
  content: ResponseContent,
  faults: readonly ContentFault[],
  otherRequestId: string | undefined,
): ResponseContent {
  let shaped = content
  for (const fault of faults) {
    switch (fault.kind) {
      case 'saml-mismatch':
        shaped = mismatch(shaped, fault.field, fault.value ?? elsewhere[fault.field])
        break
      case 'saml-in-response-to':
        // envelope-only keeps the request's ID; tree-faults.ts takes it off the confirmation.
        if (fault.answer === 'envelope-only') break
        shaped = {
          ...shaped,
          inResponseTo:
            fault.answer === 'none'
              ? undefined
              : (fault.value ?? otherRequestId ?? '_another-request'),
        }
        break
      case 'saml-nameid-look-alike':
        if (shaped.assertion) {
          shaped = {
            ...shaped,
            assertion: { ...shaped.assertion, nameId: lookAlike(fault, shaped.assertion.nameId) },
          }
        }
        break
      case 'saml-status': {
        const { assertion: _dropped, ...rest } = shaped
        shaped = {
          ...rest,
          status: {
            code: statusCodes.responder,
            subCode: failures[fault.status],
            message: fault.message ?? `fault injected: ${fault.status}`,
          },
        }
        break
      }
    }
  }
  return shaped
}

function mismatch(
  content: ResponseContent,
  field: keyof typeof elsewhere,
  value: string,
): ResponseContent {
  switch (field) {
    case 'Destination':
      return { ...content, destination: value }
    case 'Issuer':
      return { ...content, issuer: value }
    case 'Audience':
    case 'Recipient':
      if (!content.assertion) return content
      return {
        ...content,
        assertion: {
          ...content.assertion,
          [field === 'Audience' ? 'audience' : 'recipient']: value,
        },
      }
  }
}
