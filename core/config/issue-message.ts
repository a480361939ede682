import type * as z from 'zod'
import { closestName } from './did-you-mean.ts'

/**
 * A schema issue's message for a person: for an unknown key, the known key it was probably
 * meant to be (`Unrecognized key: "sessionInactivty"; did you mean "sessionInactivity"?`).
 */
export function issueMessage(schema: z.ZodType, issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return issue.message
  const known = keysAt(schema, issue.path)
  const hints = issue.keys
    .map((key) => [key, closestName(key, known)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
    .map(([key, name]) => `"${key}": did you mean "${name}"?`)
  return hints.length > 0 ? `${issue.message}; ${hints.join('; ')}` : issue.message
}

/** The keys an object schema at `path` knows, looking through optionals, arrays, pipes, unions. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const found = new Set<string>()
  const visit = (node: unknown, rest: readonly PropertyKey[]) => {
    const def = (node as { _zod?: { def?: Record<string, unknown> } })?._zod?.def
    if (!def) return
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
        return visit(def.innerType, rest)
      case 'pipe':
        return visit(def.in, rest)
      case 'lazy':
        return visit((def.getter as () => unknown)(), rest)
      case 'union':
        for (const option of def.options as unknown[]) visit(option, rest)
        return
      case 'intersection':
        visit(def.left, rest)
        return visit(def.right, rest)
      case 'array':
        return visit(def.element, typeof rest[0] === 'number' ? rest.slice(1) : rest)
      case 'object': {
        const shape = def.shape as Record<string, unknown>
        if (rest.length === 0) {
          for (const key of Object.keys(shape)) found.add(key)
          return
        }
        return visit(shape[String(rest[0])], rest.slice(1))
      }
      default:
        return
    }
  }
  visit(schema, path)
  return [...found]
}
