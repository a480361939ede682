import { createHash, createHmac, type KeyObject } from 'node:crypto'
import { newId } from '../../core/random/index.ts'
import { nameIdFormats } from '../../core/saml/constants.ts'
import type { IdpContext } from '../context.ts'
import type { SpRegistration } from '../service-providers/registration.ts'
import type { IdpSession } from '../session/idp-sessions.ts'
import type { IdpUser } from '../users/user.ts'

export type NameIdFormatName = keyof typeof nameIdFormats

/** The NameID an assertion carries (saml-core §2.2.3), qualifiers included. */
export interface IssuedNameId {
  value: string
  format: NameIdFormatName
  nameQualifier?: string
  spNameQualifier?: string
}

/**
 * The subject's NameID in `format` for this SP and IdP session, or undefined when the user
 * cannot have one (no email address for emailAddress):
 * - unspecified: the user's ID; emailAddress: the email address;
 * - persistent (saml-core §8.3.7): opaque and pairwise, the same for this user and SP on every
 *   sign-in and different at every other SP, qualified by both entity IDs;
 * - transient (§8.3.8): opaque and random, kept for this SP while this IdP session lasts (so
 *   single logout can name it), new in every other session.
 * The user's ID itself stays in the attributes (`id`, `uid`).
 */
export function issueNameId(
  ctx: IdpContext,
  sp: SpRegistration,
  user: IdpUser,
  session: IdpSession,
  format: NameIdFormatName,
): IssuedNameId | undefined {
  switch (format) {
    case 'unspecified':
      return { value: user.id, format }
    case 'emailAddress':
      return user.email ? { value: user.email, format } : undefined
    case 'persistent':
      return {
        value: pairwiseId(ctx.options.credential.privateKey, sp.entityId, user.id),
        format,
        nameQualifier: ctx.options.entityId,
        spNameQualifier: sp.entityId,
      }
    case 'transient': {
      const earlier = session.participants.find(
        (p) => p.spEntityId === sp.entityId && p.nameIdFormat === nameIdFormats.transient,
      )
      return { value: earlier?.nameId ?? newId(ctx.options.random), format }
    }
  }
}

const pairwiseKeys = new WeakMap<KeyObject, Buffer>()

/** HMAC-SHA256 under a key derived from the IdP's private key: stable across restarts, unguessable. */
function pairwiseId(privateKey: KeyObject, spEntityId: string, userId: string): string {
  let key = pairwiseKeys.get(privateKey)
  if (!key) {
    key = createHash('sha256')
      .update('ssoproof persistent NameID\0')
      .update(privateKey.export({ format: 'der', type: 'pkcs8' }))
      .digest()
    pairwiseKeys.set(privateKey, key)
  }
  const mac = createHmac('sha256', key).update(spEntityId).update('\0').update(userId).digest()
  return mac.subarray(0, 24).toString('base64url')
}
