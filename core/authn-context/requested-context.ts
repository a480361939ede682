import * as z from 'zod'
import { authnClasses, strengthOf } from './classes.ts'

/** saml-core §3.3.2.2.1: how the stated class must relate to the requested ones. */
export const comparisons = ['exact', 'minimum', 'better', 'maximum'] as const
export type Comparison = (typeof comparisons)[number]

/** A requested authentication context: classes (SAML AuthnContextClassRef, OIDC acr values). */
export interface RequestedContext {
  classRefs: string[]
  comparison: Comparison
}

/** The config shape (campaigns, agent sites): `{ classRefs: [...], comparison: minimum }`. */
export const requestedContextSchema = z
  .object({
    classRefs: z.array(z.string().min(1).max(1024)).min(1).max(10),
    comparison: z.enum(comparisons).default('exact'),
  })
  .strict()

/**
 * Whether a stated class meets the request (saml-core §3.3.2.2.1). `exact`: one of the classes
 * named. The others rank classes by ssoproof's order (classes.ts), reading "any one of" as "at
 * least one of": `minimum` at least as strong as one named, `better` stronger than one named,
 * `maximum` no stronger than one named. An unranked class meets only `exact`; none stated meets
 * nothing.
 */
export function meetsRequest(stated: string | undefined, request: RequestedContext): boolean {
  if (stated === undefined) return false
  if (request.comparison === 'exact') return request.classRefs.includes(stated)
  const strength = strengthOf(stated)
  if (strength === undefined) return false
  const named = request.classRefs
    .map(strengthOf)
    .filter((value): value is number => value !== undefined)
  switch (request.comparison) {
    case 'minimum':
      return named.some((value) => strength >= value)
    case 'better':
      return named.some((value) => strength > value)
    case 'maximum':
      return named.some((value) => strength <= value)
  }
}

/**
 * The classes that meet a request, as `acr` values for protocols without Comparison (OIDC
 * `acr_values`, the JWT login URL's): `exact` names its own; the others the ranked classes that
 * meet it, strongest first for `maximum` ("as strong as possible"), weakest first otherwise.
 */
export function acrValuesOf(request: RequestedContext): string[] {
  if (request.comparison === 'exact') return request.classRefs
  const ranked = Object.values(authnClasses).filter((classRef) => meetsRequest(classRef, request))
  return request.comparison === 'maximum' ? ranked.reverse() : ranked
}
