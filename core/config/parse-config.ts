import type * as z from 'zod'
import { SsoError } from '../errors/index.ts'
import { issueMessage } from './issue-message.ts'

/**
 * Validates configuration once, at start. The error names the dotted path of the first bad
 * setting and what was expected, e.g. `users.2.email: Invalid email address`.
 */
export function parseConfig<T extends z.ZodType>(
  schema: T,
  value: unknown,
  source: string,
): z.output<T> {
  // Parsed once: zod's JIT would compile a parser for each object schema only to run it once.
  const result = schema.safeParse(value, { jitless: true })
  if (result.success) return result.data
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(root)'
    return `${path}: ${issueMessage(schema, issue)}`
  })
  throw new SsoError('CONFIG_INVALID', source, `${source}: ${issues[0]}`, {
    source,
    issues,
  })
}
