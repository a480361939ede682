import type { Document } from '@xmldom/xmldom'
import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { decodePost } from '../../core/saml/post.ts'
import { parseXml } from '../../core/xml/index.ts'
import { type AcsParams, receiveArtifact } from '../artifact/receive-artifact.ts'
import type { SpContext } from '../context.ts'
import { readUrlEncoded } from './url-encoded-form.ts'

/**
 * The ACS's bindings: SAMLResponse by HTTP-POST (saml-bindings §3.5), or SAMLart by GET or POST
 * (HTTP-Artifact, §3.6), resolved at the IdP before anything is validated. One of the two,
 * never both. Returns the Response parsed once, and RelayState.
 */
export async function receiveAcsMessage(
  ctx: SpContext,
  c: Context,
): Promise<{ doc: Document; relayState: string | undefined }> {
  const params: AcsParams = c.req.method === 'GET' ? queryParams(c) : await formParams(c)
  if (params.SAMLart !== undefined) {
    if (params.SAMLResponse !== undefined) {
      throw new SsoError(
        'SAML_BINDING_INVALID',
        'AssertionConsumerService',
        'a request carries either SAMLResponse or SAMLart, not both',
        {},
      )
    }
    return receiveArtifact(ctx, params, ctx.diagnostics?.hooks.artifact(c))
  }
  if (c.req.method === 'GET') {
    throw new SsoError(
      'SAML_MESSAGE_MISSING',
      'HTTP-Artifact',
      'a GET to the ACS must carry SAMLart',
      { parameter: 'SAMLart' },
    )
  }
  const { xml, relayState } = decodePost(params, 'SAMLResponse')
  return { doc: parseXml(xml), relayState }
}

/**
 * The POSTed form as hono's `parseBody({ all: true })` gives it: a repeated parameter (or one
 * named `…[]`) as a list. The HTML form encoding (saml-bindings §3.5.4) is read straight from the
 * body as URLSearchParams reads it (url-encoded-form.ts), as fetch's own formData() does, without
 * building a FormData on the way; any other content type goes through hono.
 */
async function formParams(c: Context): Promise<AcsParams> {
  const mediaType = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase()
  if (mediaType !== 'application/x-www-form-urlencoded') return c.req.parseBody({ all: true })
  const form: AcsParams = Object.create(null)
  for (const [name, value] of readUrlEncoded(await c.req.text())) {
    const earlier = form[name]
    if (earlier === undefined) form[name] = name.endsWith('[]') ? [value] : value
    else if (Array.isArray(earlier)) earlier.push(value)
    else form[name] = [earlier, value]
  }
  return form
}

/** The query in the shape of a parsed form: a repeated parameter stays a list (and is refused). */
function queryParams(c: Context): AcsParams {
  return Object.fromEntries(
    Object.entries(c.req.queries()).map(([name, values]) => [
      name,
      values.length === 1 ? (values[0] as string) : values,
    ]),
  )
}
