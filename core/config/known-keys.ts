import type { z } from 'zod'

interface Def {
  type: string
  shape?: Record<string, z.ZodType>
  innerType?: z.ZodType
  element?: z.ZodType
  valueType?: z.ZodType
  in?: z.ZodType
  out?: z.ZodType
  left?: z.ZodType
  right?: z.ZodType
  options?: z.ZodType[]
  getter?: () => z.ZodType
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def

/**
 * The keys the schema knows for the object at `path` (e.g. `['campaigns', 0]`), looking through
 * optional, default, pipe, array, record, union and intersection wrappers: what a misspelt key
 * there was probably meant to be.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  return [...new Set(objectsAt(schema, path).flatMap((object) => Object.keys(object)))]
}

function objectsAt(schema: z.ZodType, path: readonly PropertyKey[]): Record<string, z.ZodType>[] {
  const def = defOf(schema)
  const [head, ...rest] = path
  const wrapped = [def.innerType, def.in, def.out, def.left, def.right, def.getter?.()]
  const through = (inner: (z.ZodType | undefined)[], at: readonly PropertyKey[]) =>
    inner.flatMap((next) => (next ? objectsAt(next, at) : []))
  switch (def.type) {
    case 'object':
      if (head === undefined) return def.shape ? [def.shape] : []
      return through([def.shape?.[String(head)]], rest)
    case 'array':
      return head === undefined ? [] : through([def.element], rest)
    case 'record':
      return head === undefined ? [] : through([def.valueType], rest)
    case 'union':
      return through(def.options ?? [], path)
    default:
      return through(wrapped, path)
  }
}
