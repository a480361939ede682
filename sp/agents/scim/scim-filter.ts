import { ScimError } from './scim-error.ts'

/**
 * RFC 7644 §3.4.2.2: the one filter identity providers send before creating a user —
 * `userName eq "…"`. The value is compared exactly, as agent SSO compares login names.
 */
export function userNameFilter(filter: string): string {
  const match = /^\s*userName\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter)
  if (!match)
    throw new ScimError(400, 'only the filter userName eq "…" is supported', 'invalidFilter')
  try {
    return JSON.parse(`"${match[1]}"`) as string
  } catch {
    throw new ScimError(400, 'the filter value is not a valid string', 'invalidFilter')
  }
}
