import { fieldValue, type MappedProfile } from '../accounts/map-profile.ts'
import type { CampaignSettings, RoutingRule } from '../campaigns/settings.ts'

/**
 * The team a conversation goes to: the first rule whose condition holds on the visitor's mapped
 * fields (a signed-in contact, or a guest's survey answers read by contact-card.ts), else the
 * campaign's default team. An empty value counts as absent.
 */
export function routeTeam(routing: CampaignSettings['routing'], profile: MappedProfile): string {
  return routing.rules.find((rule) => holds(rule, profile))?.team ?? routing.defaultTeam
}

function holds(rule: RoutingRule, profile: MappedProfile): boolean {
  // Roles are several values: a rule on `roles` holds when one of them matches.
  const values = (
    rule.field === 'roles' ? (profile.roles ?? []) : [fieldValue(profile, rule.field)]
  ).filter((value): value is string => value !== undefined && value !== '')
  if (rule.exists !== undefined) return rule.exists === values.length > 0
  if (rule.equals !== undefined) return values.includes(rule.equals)
  return values.some((value) => rule.in?.includes(value) ?? false)
}
