import type { FaultInput } from '../../idp/faults/schema.ts'
import { type LookAlikeSeen, lookAlikeSeen } from './look-alike.ts'

/** Who the SP's final page says signed in, as far as it can be told from outside. */
export interface IdentitySeen {
  /** The identities looked for that the final page (or its URL) shows, forged ones first. */
  shown: string[]
  /** The page shows an identity the message forged. */
  takeover: boolean
  /** The page shows the user who logged in and nothing forged: the SP read the genuine identity. */
  genuine: boolean
  /** One line for the report. */
  text: string
  /** A look-alike identifier case (catalogue 33): what the page shows of the signed one. */
  lookAlike?: LookAlikeSeen['verdict']
}

const lookAlikeFaultKinds = new Set<string>(['saml-nameid-look-alike', 'jwt-subject-look-alike'])

// The faults whose harm is an identity: accepted while the SP shows the genuine user, the SP
// read past the forgery (Shibboleth drops an unsigned Assertion beside the signed one).
const identityFaultKinds = new Set<string>([
  'saml-xsw',
  'saml-two-assertions',
  'saml-tamper',
  'saml-nameid-injection',
  'saml-nameid-look-alike',
  'jwt-subject-look-alike',
  'oidc-userinfo-sub',
])

/** The case forges who signs in (rather than whether a message is trusted at all). */
export function forgesIdentity(faults: FaultInput[]): boolean {
  return faults.some(
    (fault) =>
      identityFaultKinds.has(fault.kind) ||
      (fault.kind === 'jwt-wrong-claim' && fault.claim === 'sub'),
  )
}

// What a forged message claims instead of the user who logged in, by fault kind: the defaults
// of idp/faults/schema.ts and idp/faults/tokens/shape-claims.ts unless the case sets its own.
function forgedBy(fault: FaultInput, user: string): string[] {
  switch (fault.kind) {
    case 'saml-xsw':
    case 'saml-two-assertions':
      return [fault.nameId ?? 'mallory']
    case 'saml-tamper':
    case 'oidc-userinfo-sub':
      return [fault.value ?? 'mallory']
    case 'saml-nameid-injection':
      // A comment leaves the whole value signed (catalogue case 4): reading it whole is right.
      return fault.node === 'comment' ? [] : [wholeNameId(fault, user)]
    case 'jwt-wrong-claim':
      return fault.claim === 'sub' ? [fault.value ?? 'mallory'] : []
    default:
      return []
  }
}

/**
 * Looks for the identities at stake on the final page: those the case's faults forge and the
 * user's own (id, email). A comment in the NameID (catalogue case 4) forges nothing new: the
 * danger there is the user's name read out of the longer signed value, which the page cannot
 * tell from the same name in an attribute, so the result says to check it by hand.
 */
export function identitySeen(options: {
  faults: FaultInput[]
  user: { id: string; email?: string | undefined }
  page: string
  /** The subject the IdP signed (look-alike cases: the look-alike itself), when it is known. */
  signed?: string | undefined
}): IdentitySeen {
  const { faults, signed } = options
  const base = identityOnPage(options)
  if (signed === undefined || !faults.some((fault) => lookAlikeFaultKinds.has(fault.kind))) {
    return base
  }
  // Whether the SP kept the look-alike apart or folded it into the identity it imitates: the
  // page is searched for the exact signed value against its fold (look-alike.ts).
  const seen = lookAlikeSeen(signed, options.page)
  if (seen.verdict === 'unseen') {
    return { ...base, genuine: false, text: `${base.text}; ${seen.text}`, lookAlike: 'unseen' }
  }
  return {
    shown: seen.verdict === 'folded' ? [seen.folded] : [signed],
    takeover: seen.verdict === 'folded',
    genuine: false,
    text: seen.text,
    lookAlike: seen.verdict,
  }
}

function identityOnPage(options: {
  faults: FaultInput[]
  user: { id: string; email?: string | undefined }
  page: string
}): IdentitySeen {
  const { faults, user, page } = options
  const forged = [...new Set(faults.flatMap((fault) => forgedBy(fault, user.id)))]
  const whole = faults.flatMap((fault) =>
    fault.kind === 'saml-nameid-injection' ? [wholeNameId(fault, user.id)] : [],
  )
  const own = [user.id, ...(user.email ? [user.email] : [])]
  const shownForged = forged.filter((identity) => page.includes(identity))
  const shownOwn = own.filter((identity) => containsWord(page, identity, [...forged, ...whole]))
  // The user's id may come from an attribute (eppn) rather than the NameID, so a page showing
  // it proves no truncation: it is left for a person to check, never called a takeover.
  const truncated =
    whole.length > 0 && shownOwn.includes(user.id) && !whole.some((value) => page.includes(value))
  const shownWhole = whole.filter((value) => !forged.includes(value) && page.includes(value))
  const shown = [...shownForged, ...shownWhole, ...shownOwn]
  const takeover = shownForged.length > 0
  const text =
    shown.length === 0
      ? noIdentityText
      : shownForged.length > 0
        ? `the final page shows the forged identity ${shownForged.join(', ')}`
        : truncated
          ? `the final page shows ${shownOwn.join(', ')}, not the signed ${whole.join(', ')}: check whether the SP cut it out of the NameID or read an attribute`
          : `the final page shows ${[...shownWhole, ...shownOwn].join(', ')}`
  return { shown, takeover, genuine: !takeover && !truncated && shownOwn.length > 0, text }
}

/** The report line of an accepted case whose final page named nobody. */
export const noIdentityText = 'no identity visible on the final page'

function wholeNameId(fault: { suffix?: string | undefined }, user: string): string {
  return `${user}${fault.suffix ?? '.evil.example'}`
}

/** `identity` on the page as a word of its own, not as part of one of the longer `others`. */
function containsWord(page: string, identity: string, others: string[]): boolean {
  const escaped = identity.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  // A scoped form (`alice@127.0.0.1`, Shibboleth's eppn) names the user too.
  const pattern = new RegExp(`(?<![\\w.@-])${escaped}(?![\\w-]|\\.\\w)`, 'g')
  for (const match of page.matchAll(pattern)) {
    const rest = page.slice(match.index)
    if (!others.some((other) => other !== identity && rest.startsWith(other))) return true
  }
  return false
}
