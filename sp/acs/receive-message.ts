import type { Document } from '@xmldom/xmldom'
import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { decodePost } from '../../core/saml/post.ts'
import { parseXml } from '../../core/xml/index.ts'
import { type AcsParams, receiveArtifact } from '../artifact/receive-artifact.ts'
import type { SpContext } from '../context.ts'

/**
 * The ACS's bindings: SAMLResponse by HTTP-POST (saml-bindings §3.5), or SAMLart by GET or POST
 * (HTTP-Artifact, §3.6), resolved at the IdP before anything is validated. One of the two,
 * never both. Returns the Response parsed once, and RelayState.
 */
export async function receiveAcsMessage(
  ctx: SpContext,
  c: Context,
): Promise<{ doc: Document; relayState: string | undefined }> {
  const params: AcsParams =
    c.req.method === 'GET' ? queryParams(c) : await c.req.parseBody({ all: true })
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

/** The query in the shape of a parsed form: a repeated parameter stays a list (and is refused). */
function queryParams(c: Context): AcsParams {
  return Object.fromEntries(
    Object.entries(c.req.queries()).map(([name, values]) => [
      name,
      values.length === 1 ? (values[0] as string) : values,
    ]),
  )
}
