import { artifactSourceId, parseArtifact } from '../../core/saml/artifact.ts'
import type { IdpContext } from '../context.ts'

/**
 * Issues the SAMLart for a Response, with the artifact faults that apply (catalogue item 18):
 *   replay           the previous artifact of this SP again, resolvable again, for its old Response
 *   expired          an artifact the IdP no longer resolves when the SP asks
 *   wrong-source-id  an artifact whose SourceID names another IdP
 *   wrong-in-response-to  resolved with an ArtifactResponse whose InResponseTo is not the
 *                    ArtifactResolve's ID
 * and remembers what went out, for the next replay.
 */
export function issueArtifact(
  ctx: IdpContext,
  spEntityId: string,
  userId: string | undefined,
  responseXml: string,
): string {
  const faults = ctx.faults.take(['saml-artifact'], { sp: spEntityId, user: userId })
  const has = (name: string) => faults.some((fault) => fault.fault === name)
  const previous = ctx.faults.previous(spEntityId)
  if (has('replay')) {
    if (previous?.messageHandle) {
      return ctx.artifacts.issue(spEntityId, previous.responseXml, {
        messageHandle: previous.messageHandle,
      })
    }
    ctx.options.log(`IdP fault saml-artifact replay: no earlier artifact of ${spEntityId}`)
  }
  const samlart = ctx.artifacts.issue(spEntityId, responseXml, {
    ...(has('expired') ? { lifetimeMs: 0 } : {}),
    ...(has('wrong-source-id')
      ? { sourceId: artifactSourceId('https://other-idp.example/saml/metadata') }
      : {}),
    ...(has('wrong-in-response-to') ? { answerInResponseTo: '_another-artifact-resolve' } : {}),
  })
  ctx.faults.remember(spEntityId, {
    responseXml,
    messageHandle: parseArtifact(samlart, 'SAMLart').messageHandle,
  })
  return samlart
}
