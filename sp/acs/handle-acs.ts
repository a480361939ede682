import type { Document } from '@xmldom/xmldom'
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { attr, rootElement } from '../../core/xml/index.ts'
import { completeSignIn } from '../accounts/complete-sign-in.tsx'
import type { SpContext } from '../context.ts'
import { isNoPassiveResponse, stayGuest } from '../login/passive-sign-in.ts'
import { sameOriginPathOr } from '../login/return-path.ts'
import type { ResolvedSpOptions } from '../options.ts'
import type { PendingRequest } from '../session/pending-requests.ts'
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
  const { doc, relayState } = await receiveAcsMessage(ctx, c)
  const browserToken = getCookie(c, ctx.cookies.pending)
  // One transaction (BEGIN IMMEDIATE) from the first read to the last write: the pending request
  // and the replay cache are read under the write lock that consumes and records them (another
  // process on the file sees both or neither), in one transaction instead of three reads and a
  // write. What a refusal wrote before it (an expired row read and removed) is kept.
  return writeTogether(ctx.db, () => checkAndSignIn(ctx, c, doc, relayState, browserToken))
}

function checkAndSignIn(
  ctx: SpContext,
  c: Context,
  doc: Document,
  relayState: string | undefined,
  browserToken: string | undefined,
): Response {
  const { options } = ctx
  // The request this browser waits on, read once: the checks and the return path use it.
  const awaited = ctx.pending.ofBrowser(browserToken)
  // A NoPassive answer to this browser's own IsPassive request: no sign-in, no error page.
  if (awaited?.passive && answersNoPassive(doc, awaited)) {
    ctx.pending.consume(browserToken)
    return stayGuest(ctx, c, awaited.returnPath)
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
      isPendingRequest: (id) =>
        awaited !== undefined && awaited.id === id && awaited.expiresAt > options.clock.now(),
      awaitsResponse: awaited !== undefined,
      signInStarted: browserToken !== undefined,
    },
    ctx.diagnostics?.hooks.samlResponse(c, doc, settings),
  )

  const returnPath = validated.inResponseTo
    ? (awaited?.returnPath ?? '/')
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
  // The same commit: the request consumed, the replay records, the contact and the session.
  if (validated.inResponseTo) ctx.pending.consume(browserToken)
  ctx.replay.add(`Response:${validated.responseId}`, validated.notOnOrAfter)
  ctx.replay.add(`Assertion:${validated.assertionId}`, validated.notOnOrAfter)
  return completeSignIn(ctx, c, subject, returnPath)
}

/** Whether the Response is a NoPassive answer to this request (InResponseTo names it). */
function answersNoPassive(doc: Document, request: PendingRequest): boolean {
  return isNoPassiveResponse(doc) && attr(rootElement(doc), 'InResponseTo') === request.id
}
