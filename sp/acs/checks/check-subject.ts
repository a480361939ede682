import type { Element } from '@xmldom/xmldom'
import { fromEarlier } from '../../../core/checks/from-earlier.ts'
import { SsoError } from '../../../core/errors/index.ts'
import { subjectConfirmationBearer } from '../../../core/saml/constants.ts'
import { decryptNameId } from '../../../core/saml/encryption.ts'
import { readNameIdQualifiers } from '../../../core/saml/logout.ts'
import { parseInstant } from '../../../core/saml/time.ts'
import { attr, childElements, firstChildElement, ns, textContent } from '../../../core/xml/index.ts'
import { requireExactIdentifier } from '../../accounts/exact-identifier.ts'
import type { AcsContext } from '../context.ts'

/**
 * saml-profiles §4.1.4.2–3: a Subject with a non-empty NameID (or EncryptedID), exact (no white
 * space at its ends, no invisible character: IDENTIFIER_LOOK_ALIKE), and at least one bearer
 * SubjectConfirmation whose data names this ACS as Recipient, is still within NotOnOrAfter
 * (exclusive) and, when it carries InResponseTo, agrees with the Response. Its InResponseTo, not
 * the Response's, is the request the sign-in answers.
 */
export function checkSubject(ctx: AcsContext): void {
  const subject = firstChildElement(fromEarlier(ctx.assertion, 'the Assertion'), ns.saml, 'Subject')
  if (!subject)
    throw new SsoError('SAML_SUBJECT_INVALID', 'Subject', 'the Assertion has no Subject', {})
  const nameIdEl = readNameId(ctx, subject)
  const nameId = nameIdEl ? textContent(nameIdEl) : ''
  if (!nameIdEl || nameId.trim() === '') {
    throw new SsoError(
      'SAML_NAMEID_MISSING',
      'NameID',
      'the Subject carries no NameID, or an empty one',
      {},
    )
  }
  // saml-core §2.2.2: an xs:string, compared exactly: `carol ` is not `carol`, nor refused
  // quietly by trimming — a look-alike is refused outright.
  requireExactIdentifier(nameId, 'NameID')
  ctx.nameId = nameId
  ctx.nameIdFormat = attr(nameIdEl, 'Format')
  ctx.nameIdQualifiers = readNameIdQualifiers(nameIdEl)

  const bearers = childElements(subject, ns.saml, 'SubjectConfirmation').filter(
    (confirmation) => attr(confirmation, 'Method') === subjectConfirmationBearer,
  )
  if (bearers.length === 0) {
    throw new SsoError(
      'SAML_SUBJECT_CONFIRMATION_INVALID',
      'SubjectConfirmation',
      'no bearer SubjectConfirmation',
      {},
    )
  }
  let firstError: SsoError | undefined
  for (const bearer of bearers) {
    try {
      checkBearer(ctx, bearer)
      return
    } catch (error) {
      if (!(error instanceof SsoError)) throw error
      firstError ??= error
    }
  }
  throw firstError
}

/**
 * saml-core §2.4.1: the Subject's identifier is a NameID or an EncryptedID, one of them; an
 * EncryptedID is decrypted with the SP's key (§2.2.4) and its NameID read from the plaintext.
 */
function readNameId(ctx: AcsContext, subject: Element): Element | undefined {
  const encrypted = firstChildElement(subject, ns.saml, 'EncryptedID')
  const plain = firstChildElement(subject, ns.saml, 'NameID')
  if (!encrypted) return plain
  if (plain) {
    throw new SsoError(
      'SAML_SUBJECT_INVALID',
      'EncryptedID',
      'the Subject carries both a NameID and an EncryptedID',
      {},
    )
  }
  const privateKeyPem = ctx.settings.decryptionKeyPem
  if (privateKeyPem === undefined) {
    throw new SsoError(
      'SAML_ENCRYPTED_UNSUPPORTED',
      'EncryptedID',
      'the NameID is encrypted, and this SP has no decryption key configured',
      {},
    )
  }
  return decryptNameId(encrypted, {
    privateKeyPem,
    allowLegacyCrypto: ctx.settings.allowLegacyCrypto ?? false,
    onWarning: ctx.warn,
  })
}

function checkBearer(ctx: AcsContext, bearer: Element): void {
  const data = firstChildElement(bearer, ns.saml, 'SubjectConfirmationData')
  if (!data) {
    throw new SsoError(
      'SAML_SUBJECT_CONFIRMATION_INVALID',
      'SubjectConfirmationData',
      'the bearer confirmation has no SubjectConfirmationData',
      {},
    )
  }
  const recipient = attr(data, 'Recipient')
  if (recipient !== ctx.settings.acsUrl) {
    throw new SsoError(
      'SAML_RECIPIENT_MISMATCH',
      'Recipient',
      'SubjectConfirmationData Recipient is not this ACS',
      {
        expected: ctx.settings.acsUrl,
        received: recipient ?? null,
      },
    )
  }
  const notOnOrAfterText = attr(data, 'NotOnOrAfter')
  if (!notOnOrAfterText) {
    throw new SsoError(
      'SAML_SUBJECT_CONFIRMATION_INVALID',
      'SubjectConfirmationData NotOnOrAfter',
      'SubjectConfirmationData has no NotOnOrAfter',
      {},
    )
  }
  const notOnOrAfter = parseInstant(notOnOrAfterText, 'SubjectConfirmationData NotOnOrAfter')
  if (ctx.now >= notOnOrAfter + ctx.settings.clockSkewMs) {
    throw expired('SubjectConfirmationData NotOnOrAfter', notOnOrAfterText, ctx)
  }
  const notBeforeText = attr(data, 'NotBefore')
  if (
    notBeforeText &&
    ctx.now <
      parseInstant(notBeforeText, 'SubjectConfirmationData NotBefore') - ctx.settings.clockSkewMs
  ) {
    throw new SsoError(
      'SAML_NOT_YET_VALID',
      'SubjectConfirmationData NotBefore',
      'the confirmation is not valid yet',
      {
        notBefore: notBeforeText,
        now: new Date(ctx.now).toISOString(),
      },
    )
  }
  const inResponseTo = attr(data, 'InResponseTo')
  const responseInResponseTo = attr(ctx.response, 'InResponseTo')
  if (
    inResponseTo !== undefined &&
    responseInResponseTo !== undefined &&
    inResponseTo !== responseInResponseTo
  ) {
    throw new SsoError(
      'SAML_IN_RESPONSE_TO_UNKNOWN',
      'SubjectConfirmationData InResponseTo',
      'the confirmation answers another request than the Response',
      {
        response: responseInResponseTo,
        subjectConfirmation: inResponseTo,
      },
    )
  }
  // Only the confirmation's own InResponseTo counts: it is inside the signed Assertion, while
  // the Response around it may be unsigned (check-in-response-to.ts).
  ctx.inResponseTo = inResponseTo
  ctx.notOnOrAfter = Math.max(ctx.notOnOrAfter ?? 0, notOnOrAfter)
}

export function expired(check: string, value: string, ctx: AcsContext): SsoError {
  return new SsoError('SAML_EXPIRED', check, `${check} has passed`, {
    notOnOrAfter: value,
    now: new Date(ctx.now).toISOString(),
    clockSkewSeconds: ctx.settings.clockSkewMs / 1000,
  })
}
