import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { runCheckTable } from '../../core/checks/run-check-table.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { encodeArtifact } from '../../core/saml/artifact.ts'
import { bindings, statusCodes } from '../../core/saml/constants.ts'
import { ns, parseXml } from '../../core/xml/index.ts'
import { buildArtifactResolve } from '../../sp/artifact/build-artifact-resolve.ts'
import { refusalOf } from '../../tests/fixtures/acs-context.ts'
import { checkIdpBase, checkIdpContext, checkKeys } from '../../tests/fixtures/idp-check-context.ts'
import { answerArtifactResolve, artifactResolveChecks } from './artifact-resolve-checks.ts'

/**
 * Each row of the ArtifactResolutionService's check table (artifactResolveChecks), passed and
 * refused with its code, and the answer each refusal becomes.
 */
const idpBase = checkIdpBase
const signingSp = 'https://signing-sp.example/metadata'
const plainSp = 'https://plain-sp.example/metadata'
const storedResponse = `<samlp:Response xmlns:samlp="${ns.samlp}" ID="_stored"/>`
const keys = checkKeys()

function idpContext() {
  return checkIdpContext(keys, {
    at: '2030-01-01T00:00:00Z',
    random: createSeededRandom('artifact-resolve-checks'),
    serviceProviders: [signingSp, plainSp].map((entityId) => ({
      entityId,
      assertionConsumerServices: [{ location: `${entityId}/acs`, binding: bindings.artifact }],
      responseBinding: 'artifact' as const,
      ...(entityId === signingSp ? { certificates: [keys.sp.certificatePem] } : {}),
    })),
  })
}

function signed(artifact: string, key = keys.sp, destination = `${idpBase}/saml/artifact`) {
  const xml = buildArtifactResolve(
    {
      id: '_resolve1',
      issueInstant: Date.UTC(2030, 0, 1),
      destination,
      issuer: signingSp,
      artifact,
    },
    { privateKeyPem: key.privateKeyPem, certificatePem: key.certificatePem },
  )
  return parseXml(xml).documentElement
}

function unsigned(
  issuer: string,
  artifact: string,
  attributes = 'Version="2.0" ID="_r" IssueInstant="2030-01-01T00:00:00Z"',
) {
  const xml = `<samlp:ArtifactResolve xmlns:samlp="${ns.samlp}" xmlns:saml="${ns.saml}" ${attributes}><saml:Issuer>${issuer}</saml:Issuer><samlp:Artifact>${artifact}</samlp:Artifact></samlp:ArtifactResolve>`
  return parseXml(xml).documentElement
}

type Context = ReturnType<typeof idpContext>
const check = (ctx: Context, resolve: Element) => () =>
  runCheckTable(artifactResolveChecks, () => ({ ctx, resolve, clientCertificate: undefined }))

describe("the IdP's ArtifactResolve checks, in the order they run", () => {
  it('lists the checks in their order: the signature after the cheap ones, the artifact taken after it', () => {
    expect(artifactResolveChecks.map(([name]) => name)).toEqual([
      'Version',
      'ArtifactResolve',
      'Destination',
      'Issuer',
      'Artifact',
      'Signature',
      'Issued',
      'Requester',
    ])
  })

  it('gives the stored message to the SP it was issued to, signed, and to an SP without certificates unsigned', () => {
    const ctx = idpContext()
    const answer = answerArtifactResolve(
      ctx,
      signed(ctx.artifacts.issue(signingSp, storedResponse)),
      undefined,
    )
    expect(answer).toEqual({ kind: 'message', messageXml: storedResponse, requester: signingSp })
    const plain = unsigned(plainSp, ctx.artifacts.issue(plainSp, storedResponse))
    expect(answerArtifactResolve(ctx, plain, undefined).kind).toBe('message')
  })

  it('Version: refused with status VersionMismatch', () => {
    const ctx = idpContext()
    const old = unsigned(plainSp, 'x', 'Version="1.1" ID="_r" IssueInstant="2030-01-01T00:00:00Z"')
    expect(refusalOf(check(ctx, old))).toEqual({
      code: 'IDP_ARTIFACT_RESOLVE_VERSION_MISMATCH',
      check: 'Version',
    })
    expect(answerArtifactResolve(ctx, old, undefined)).toMatchObject({
      kind: 'error',
      status: { code: statusCodes.versionMismatch },
    })
  })

  it('ArtifactResolve: refuses a request without ID, with status Requester', () => {
    const ctx = idpContext()
    const bare = unsigned(plainSp, 'x', 'Version="2.0" IssueInstant="2030-01-01T00:00:00Z"')
    expect(refusalOf(check(ctx, bare)).code).toBe('IDP_ARTIFACT_RESOLVE_INVALID')
    expect(answerArtifactResolve(ctx, bare, undefined)).toMatchObject({
      kind: 'error',
      status: { code: statusCodes.requester },
    })
  })

  it('Destination: refuses another endpoint with Requester/RequestDenied', () => {
    const ctx = idpContext()
    const elsewhere = signed(
      ctx.artifacts.issue(signingSp, storedResponse),
      keys.sp,
      `${idpBase}/other`,
    )
    expect(refusalOf(check(ctx, elsewhere)).code).toBe('IDP_ARTIFACT_RESOLVE_DESTINATION_MISMATCH')
    expect(answerArtifactResolve(ctx, elsewhere, undefined)).toMatchObject({
      kind: 'error',
      status: { code: statusCodes.requester, subCode: statusCodes.requestDenied },
    })
  })

  it('Issuer: refuses an unregistered requester with no message', () => {
    const ctx = idpContext()
    const stranger = unsigned(
      'https://sp.evil.example/',
      ctx.artifacts.issue(plainSp, storedResponse),
    )
    expect(refusalOf(check(ctx, stranger)).code).toBe('IDP_ARTIFACT_REQUESTER_UNKNOWN')
    expect(answerArtifactResolve(ctx, stranger, undefined)).toEqual({
      kind: 'empty',
      code: 'IDP_ARTIFACT_REQUESTER_UNKNOWN',
      reason: 'the Issuer is not a registered SP',
      requester: 'https://sp.evil.example/',
    })
  })

  it('Artifact: refuses a malformed artifact and one of another IdP', () => {
    const ctx = idpContext()
    expect(refusalOf(check(ctx, unsigned(plainSp, 'bm90IGFuIGFydGlmYWN0')))).toEqual({
      code: 'IDP_ARTIFACT_NOT_ISSUED_HERE',
      check: 'Artifact',
    })
    const foreign = encodeArtifact({
      endpointIndex: 0,
      sourceId: Buffer.alloc(20, 7),
      messageHandle: Buffer.alloc(20, 1),
    })
    expect(refusalOf(check(ctx, unsigned(plainSp, foreign))).code).toBe(
      'IDP_ARTIFACT_NOT_ISSUED_HERE',
    )
  })

  it('Signature: refuses an unsigned request of an SP with certificates, and one signed by another key', () => {
    const ctx = idpContext()
    const artifact = ctx.artifacts.issue(signingSp, storedResponse)
    expect(refusalOf(check(ctx, unsigned(signingSp, artifact)))).toEqual({
      code: 'IDP_ARTIFACT_REQUESTER_UNAUTHENTICATED',
      check: 'Signature',
    })
    expect(refusalOf(check(ctx, signed(artifact, keys.other))).code).toBe(
      'IDP_ARTIFACT_REQUESTER_UNAUTHENTICATED',
    )
    // An unauthenticated requester burns nothing: the artifact still resolves.
    expect(answerArtifactResolve(ctx, signed(artifact), undefined).kind).toBe('message')
  })

  it('Issued: refuses an artifact already used', () => {
    const ctx = idpContext()
    const artifact = ctx.artifacts.issue(signingSp, storedResponse)
    check(ctx, signed(artifact))()
    expect(refusalOf(check(ctx, signed(artifact)))).toEqual({
      code: 'IDP_ARTIFACT_UNKNOWN',
      check: 'Artifact',
    })
  })

  it('Requester: refuses an artifact issued to another SP, and burns it', () => {
    const ctx = idpContext()
    const artifact = ctx.artifacts.issue(signingSp, storedResponse)
    expect(refusalOf(check(ctx, unsigned(plainSp, artifact)))).toEqual({
      code: 'IDP_ARTIFACT_OTHER_REQUESTER',
      check: 'Issuer',
    })
    expect(refusalOf(check(ctx, signed(artifact))).code).toBe('IDP_ARTIFACT_UNKNOWN')
  })

  it('refuses on the cheap checks before it verifies a signature (catalogue case 38)', () => {
    const ctx = idpContext()
    const forged = signed('bm90IGFuIGFydGlmYWN0', keys.other)
    expect(refusalOf(check(ctx, forged)).code).toBe('IDP_ARTIFACT_NOT_ISSUED_HERE')
  })
})
