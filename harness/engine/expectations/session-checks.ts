import * as z from 'zod'
import { authnClasses } from '../../../core/authn-context/classes.ts'
import { fieldValue } from '../../../sp/accounts/map-profile.ts'
import { mappingTargetSchema } from '../../../sp/campaigns/settings.ts'
import { defineCheck } from './expectation.ts'

const notSignedIn = '(not signed in)'

const contextShortNames: Record<string, string> = {
  mfa: authnClasses.mfa,
  password: authnClasses.passwordProtectedTransport,
}

/** What the SP holds for this browser's visitor: session, identity, attributes, contact. */
export const sessionChecks = {
  /** Mapped attributes the IdP did not send, as the SP's diagnostics list them. */
  'missing attributes': defineCheck({
    schema: z.array(z.string()),
    async check(expected, { session, compare }) {
      const current = await session()
      compare(
        'missing attributes',
        [...expected].sort(),
        current
          ? current.missingAttributes.map((missing) => missing.attribute).sort()
          : notSignedIn,
      )
    },
  }),

  /**
   * The signed-in visitor's contact at the SP, by mapped field (`name`, `email`, …,
   * `custom:<name>`, `variable:<name>`); `''` expects the field empty.
   */
  contact: defineCheck({
    schema: z.record(z.string(), z.string()),
    async check(expected, { world, session, compare }) {
      const current = await session()
      const contact =
        current?.contactId !== undefined ? world.sp.contacts.get(current.contactId) : undefined
      for (const [field, value] of Object.entries(expected)) {
        const parsed = mappingTargetSchema.safeParse(field)
        const actual = !parsed.success
          ? '(no such contact field)'
          : contact
            ? (fieldValue(contact, parsed.data) ?? '')
            : notSignedIn
        compare(`contact ${field}`, value, actual)
      }
    },
  }),

  /** The SP has (true) or has not (false) a session for this browser. */
  'signed in': defineCheck({
    schema: z.boolean(),
    async check(expected, { session, compare }) {
      compare('signed in', expected, (await session()) !== undefined)
    },
  }),

  /** The SP session's external ID (NameID). Implies signed in. */
  'signed in as': defineCheck({
    schema: z.string(),
    async check(expected, { session, compare }) {
      const current = await session()
      compare('signed in as', expected, current ? current.subject.nameId : notSignedIn)
    },
  }),

  /**
   * How the IdP said the signed-in visitor authenticated (SAML AuthnContextClassRef, OIDC/JWT
   * `acr`), as the SP session keeps it: a URI, `mfa` (REFEDS MFA), `password`
   * (PasswordProtectedTransport) or `none`.
   */
  'authn context': defineCheck({
    schema: z.string().min(1),
    async check(expected, { session, compare }) {
      const current = await session()
      const wanted = contextShortNames[expected] ?? expected
      const stated = current ? (current.subject.authnContext ?? 'none') : notSignedIn
      compare('authn context', wanted, stated)
    },
  }),

  /** Values the SP received for the signed-in visitor, by attribute name. */
  attributes: defineCheck({
    schema: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    async check(expected, { session, compare }) {
      const current = await session()
      for (const [name, value] of Object.entries(expected)) {
        const actual = current?.subject.attributes[name]
        compare(
          `attribute ${name}`,
          Array.isArray(value) ? value : [value],
          actual ?? (current ? '(absent)' : notSignedIn),
        )
      }
    },
  }),
}
