import type { Idp } from '../../idp/create-idp.tsx'
import type { Delivery } from './browser.ts'
import type { AttackTarget } from './target.ts'

/**
 * For the "InResponseTo of another request" case (catalogue case 12): which of the SP's own
 * AuthnRequests the forged Response claimed to answer, and when the SP made it, from the IdP's
 * journal. The ID is read from the Response as delivered (HTTP-POST); an artifact hides it, so
 * then it is the one the fault takes: the SP's latest request before the current one.
 */
export function answeredRequest(
  idp: Idp,
  target: AttackTarget,
  delivery: Delivery | undefined,
): string | undefined {
  if (target.protocol !== 'saml') return undefined
  const requests = idp.journal
    .list({ sp: target.registration.entityId, message: 'AuthnRequest' })
    .flatMap((entry) => (entry.message === 'AuthnRequest' ? [{ id: entry.id, at: entry.at }] : []))
  const current = requests.at(-1)
  const posted = inResponseToOf(delivery?.form?.SAMLResponse)
  const answered = posted
    ? requests.find((request) => request.id === posted)
    : requests.filter((request) => request.id !== current?.id).at(-1)
  if (!answered) {
    return posted
      ? `answered ${posted}, a request the IdP never saw from this SP`
      : 'answered no earlier request of this SP (none was journalled)'
  }
  return `answered ${answered.id}, the SP's AuthnRequest of ${answered.at}${current ? `, not ${current.id} of ${current.at}` : ''}`
}

/** The InResponseTo of the Response element of a posted SAMLResponse, read as text. */
function inResponseToOf(posted: string | undefined): string | undefined {
  if (!posted) return undefined
  const xml = Buffer.from(posted, 'base64').toString('utf8')
  const response = /<(?:\w+:)?Response\b[^>]*>/.exec(xml)?.[0] ?? ''
  return /\sInResponseTo="([^"]*)"/.exec(response)?.[1]
}
