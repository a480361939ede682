import { SsoError } from '../../../core/errors/index.ts'
import { parseInstant } from '../../../core/saml/time.ts'
import { attr, ns } from '../../../core/xml/index.ts'
import type { AcsContext } from '../context.ts'

/** saml-core §3.2.2: the root is samlp:Response, Version 2.0, with an ID and an IssueInstant. */
export function checkResponseShape(ctx: AcsContext): void {
  const root = ctx.response
  if (root.namespaceURI !== ns.samlp || root.localName !== 'Response') {
    throw new SsoError(
      'SAML_RESPONSE_INVALID',
      'Response',
      'the root element is not samlp:Response',
      {
        root: `{${root.namespaceURI ?? ''}}${root.localName}`,
      },
    )
  }
  if (attr(root, 'Version') !== '2.0') {
    throw new SsoError('SAML_RESPONSE_INVALID', 'Version', 'the Response Version is not 2.0', {
      version: attr(root, 'Version') ?? null,
    })
  }
  const id = attr(root, 'ID')
  if (!id) throw new SsoError('SAML_RESPONSE_INVALID', 'ID', 'the Response has no ID', {})
  ctx.responseId = id
  const issueInstant = attr(root, 'IssueInstant')
  if (!issueInstant) {
    throw new SsoError(
      'SAML_RESPONSE_INVALID',
      'IssueInstant',
      'the Response has no IssueInstant',
      {},
    )
  }
  parseInstant(issueInstant, 'IssueInstant')
}
