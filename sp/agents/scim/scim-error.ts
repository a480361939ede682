/** RFC 7644 §3.12: the error response's schema and the `scimType` values used here. */
export const scimErrorSchema = 'urn:ietf:params:scim:api:messages:2.0:Error'

export type ScimType =
  | 'invalidFilter'
  | 'invalidValue'
  | 'invalidSyntax'
  | 'uniqueness'
  | 'mutability'
  | 'noTarget'
  | 'invalidPath'

/**
 * A SCIM refusal: thrown by the handlers, written by the SCIM app's error handler as the SCIM
 * error body (`status` a string, RFC 7644 §3.12), never as an ssoproof error page. Details
 * name the field, never a token.
 */
export class ScimError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 409,
    readonly detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail)
    this.name = 'ScimError'
  }

  body(): Record<string, string | string[]> {
    return {
      schemas: [scimErrorSchema],
      status: String(this.status),
      ...(this.scimType !== undefined ? { scimType: this.scimType } : {}),
      detail: this.detail,
    }
  }
}
