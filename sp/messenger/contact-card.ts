import type { Contact } from '../accounts/contacts.ts'
import type { MappedProfile } from '../accounts/map-profile.ts'
import { type SystemField, systemFields } from '../campaigns/settings.ts'

/**
 * What the agent knows about the person in a conversation. `verified`: a signed-in visitor,
 * whose fields came from the IdP through the data mapping; otherwise a guest, whose fields are
 * the pre-chat survey answers as typed, with no external ID (a guest carries no account data).
 */
export interface ContactCard {
  verified: boolean
  externalId: string | null
  /** Whom the agent talks to: the contact's name, a guest's survey name, else `Guest`. */
  name: string
  /** Mapped fields in the console's order: `name` … `roles`, `custom:<k>`, `variable:<k>`. */
  fields: Array<{ field: string; value: string }>
}

/** The rows the agent console always shows, filled or not (Comm100 contact, inSided account). */
const cardFields = [...systemFields, 'username', 'roles'] as const

export function contactCard(
  contact: Contact | undefined,
  survey: Record<string, string>,
): ContactCard {
  const profile = contact ?? surveyProfile(survey)
  const fields = [
    ...cardFields.map((field) => ({
      field,
      value: field === 'roles' ? (profile.roles ?? []).join(', ') : (profile[field] ?? ''),
    })),
    ...Object.entries(profile.customFields).map(([key, value]) => ({
      field: `custom:${key}`,
      value,
    })),
    ...Object.entries(profile.customVariables).map(([key, value]) => ({
      field: `variable:${key}`,
      value,
    })),
  ]
  return {
    verified: contact !== undefined,
    externalId: contact?.externalId ?? null,
    name: contact ? (contact.name ?? contact.externalId) : (profile.name ?? 'Guest'),
    fields,
  }
}

/**
 * A guest's survey answers read as a profile: a survey field named like a system field (`name`,
 * `email`, …) fills it, any other is a custom pre-chat field (`custom:<name>`). Routing rules
 * and the agent's view read guests this way.
 */
export function surveyProfile(survey: Record<string, string>): MappedProfile {
  const profile: MappedProfile = { customFields: {}, customVariables: {} }
  for (const [name, value] of Object.entries(survey)) {
    if ((systemFields as readonly string[]).includes(name)) profile[name as SystemField] = value
    else profile.customFields[name] = value
  }
  return profile
}
