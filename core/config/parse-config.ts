import type { z } from 'zod'
import { SsoError } from '../errors/index.ts'
import { closestName } from './did-you-mean.ts'
import { knownKeysAt } from './known-keys.ts'

/** One bad setting: its dotted path and what was expected. */
export interface ConfigIssue {
  path: string
  message: string
}

/**
 * Validates configuration once, at start. The error names the dotted path of the first bad
 * setting and what was expected, e.g. `users.2.email: Invalid email address`; an unknown key is
 * named by its own path, with the setting it was probably meant to be.
 */
export function parseConfig<T extends z.ZodType>(
  schema: T,
  value: unknown,
  source: string,
): z.output<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues.flatMap((issue) => configIssues(schema, issue))
  const lines = issues.map((issue) => `${issue.path}: ${issue.message}`)
  throw new SsoError('CONFIG_INVALID', source, `${source}: ${lines[0]}`, {
    source,
    issues: lines,
  })
}

function configIssues(schema: z.ZodType, issue: z.core.$ZodIssue): ConfigIssue[] {
  const path = issue.path.map(String)
  if (issue.code !== 'unrecognized_keys') {
    return [{ path: path.join('.') || '(root)', message: issue.message }]
  }
  const known = knownKeysAt(schema, issue.path)
  return issue.keys.map((key) => {
    const meant = closestName(key, known)
    return {
      path: [...path, key].join('.'),
      message: `unknown setting${meant !== undefined ? `; did you mean ${meant}?` : ''}`,
    }
  })
}
