import type { Document } from '@xmldom/xmldom'
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { attr, rootElement } from '../../core/xml/index.ts'
import { completeSignIn } from '../accounts/complete-sign-in.tsx'
import type { SpContext } from '../context.ts'
import { isNoPassiveResponse, stayGuest } from '../login/passive-sign-in.ts'
import { sameOriginPathOr } from '../login/return-path.ts'
import type { ResolvedSpOptions } from '../options.ts'
import { writeTogether } from '../store/write-together.ts'
import { receiveAcsMessage } from './receive-message.ts'
import type { ResponseValidationSettings } from './settings.ts'
import { validateResponse } from './validate-response.ts'

/** What the ACS checks a Response against: the connection's settings (also `ssoproof check`'s). */
export function validationSettings(options: ResolvedSpOptions): ResponseValidationSettings {
  return {
    spEntityId: options.entityId,
    acsUrl: options.urls.acs,
    idpEntityId: options.idp.entityId,
    idpCertificates: options.idp.certificates,
    clockSkewMs: options.clockSkewMs,
    wantAssertionsSigned: options.wantAssertionsSigned,
    wantResponseSigned: options.wantResponseSigned,
    decryptionKeyPem: options.encryptionCredential.privateKeyPem,
    wantAssertionsEncrypted: options.wantAssertionsEncrypted,
    allowUnsolicited: options.allowUnsolicited,
    allowLegacyCrypto: options.idp.allowLegacyCrypto ?? false,
    ignoreCertificateValidity: options.idp.ignoreCertificateValidity ?? false,
  }
}

/**
 * /saml/acs — the AssertionConsumerService: SAMLResponse by HTTP-POST, or SAMLart by GET or POST
 * (HTTP-Artifact, resolved at the IdP first; see receive-message.ts). Decode, parse once,
 * validate (see validate-response.ts for the checks and their order); only when every check
 * passes does anything change: the request is consumed, the IDs enter the replay cache, a
 * session starts.
 */
export async function handleAcs(ctx: SpContext, c: Context) {
  const { options } = ctx
  const { doc, relayState } = await receiveAcsMessage(ctx, c)
  const browserToken = getCookie(c, ctx.cookies.pending)
  // A NoPassive answer to this browser's own IsPassive request: no sign-in, no error page.
  const passive = passiveRequestAnswered(ctx, doc, browserToken)
  if (passive) {
    ctx.pending.consume(passive.id)
    return stayGuest(ctx, c, passive.returnPath)
  }
  const settings = {
    ...validationSettings(ctx.options),
    requiredAuthnContext: ctx.campaign.authnContext,
  }
  const validated = validateResponse(
    doc,
    settings,
    {
      clock: options.clock,
      replay: ctx.replay,
      isPendingRequest: (id) => ctx.pending.findForBrowser(id, browserToken) !== undefined,
      awaitsResponse: ctx.pending.findByBrowser(browserToken) !== undefined,
      signInStarted: browserToken !== undefined,
    },
    ctx.diagnostics?.hooks.samlResponse(c, doc, settings),
  )

  const returnPath = validated.inResponseTo
    ? (ctx.pending.find(validated.inResponseTo)?.returnPath ?? '/')
    : // IdP-initiated: RelayState may say where to go; only a same-origin path counts.
      sameOriginPathOr(relayState, options.baseUrl, '/')
  for (const warning of validated.warnings) {
    options.log(`SP sign-in warning ${warning.code} at ${warning.check}: ${warning.reason}`)
  }
  options.log(`SP sign-in accepted (assertion ${validated.assertionId})`)
  const subject = {
    nameId: validated.nameId,
    nameIdFormat: validated.nameIdFormat,
    ...(Object.keys(validated.nameIdQualifiers).length > 0
      ? { nameIdQualifiers: validated.nameIdQualifiers }
      : {}),
    issuer: validated.issuer,
    sessionIndex: validated.sessionIndex,
    authnContext: validated.authnContext,
    attributes: validated.attributes,
    friendlyNames: validated.friendlyNames,
  }
  // One commit for the request consumed, the replay records, the contact and the session.
  return writeTogether(ctx.db, () => {
    if (validated.inResponseTo) ctx.pending.consume(validated.inResponseTo)
    ctx.replay.add(`Response:${validated.responseId}`, validated.notOnOrAfter)
    ctx.replay.add(`Assertion:${validated.assertionId}`, validated.notOnOrAfter)
    return completeSignIn(ctx, c, subject, returnPath)
  })
}

/** The pending IsPassive request of this browser that a NoPassive Response answers, if any. */
function passiveRequestAnswered(ctx: SpContext, doc: Document, browserToken: string | undefined) {
  if (!isNoPassiveResponse(doc)) return undefined
  const id = attr(rootElement(doc), 'InResponseTo')
  const pending = id === undefined ? undefined : ctx.pending.findForBrowser(id, browserToken)
  return pending?.passive ? pending : undefined
}
