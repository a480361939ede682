import { SsoError } from '../../core/errors/index.ts'
import { nameIdFormats } from '../../core/saml/constants.ts'
import type { SignedInSubject } from '../session/sp-sessions.ts'
import { requireExactIdentifier } from './exact-identifier.ts'
import type { MappingOutcome } from './map-profile.ts'

/**
 * The external ID an account is matched by: the NameID, unless it is transient — new at every
 * sign-in, so never an account key (saml-core §8.3.8) — and then the attribute the campaign maps
 * to `id` (inSided's unique user identifier). A transient NameID without one is refused: keying
 * on it would make a new account at each sign-in, and the second would clash on its email.
 * That attribute is exact like the NameID (IDENTIFIER_LOOK_ALIKE, never trimmed).
 */
export function externalIdOf(
  subject: SignedInSubject,
  mapping: Pick<MappingOutcome, 'id'>,
): string {
  if (subject.nameIdFormat !== nameIdFormats.transient) return subject.nameId
  if (mapping.id !== undefined) {
    requireExactIdentifier(mapping.id, 'id attribute')
    return mapping.id
  }
  throw new SsoError(
    'SP_TRANSIENT_NAMEID_UNMAPPED',
    'external ID',
    'the IdP sent a transient NameID (new at every sign-in) and no attribute mapped to id, so the SP has nothing stable to match the account by',
    {
      attributes: Object.keys(subject.attributes)
        .slice(0, 20)
        .map((name) => name.slice(0, 100)),
    },
  )
}
