import { SAML, ValidateInResponseTo } from '@node-saml/node-saml'
import { createExpiringMap } from '../../../core/clock/expiring-map.ts'
import { systemClock } from '../../../core/clock/index.ts'
import { decodePost } from '../../../core/saml/post.ts'
import { parseXml } from '../../../core/xml/index.ts'
import { validateResponse } from '../../../sp/acs/validate-response.ts'
import { createReplayCache } from '../../../sp/session/replay-cache.ts'
import type { BenchContext } from '../bench-context.ts'
import { type Figure, figure } from '../bench-report.ts'
import { measureRates } from '../measure.ts'
import { acsUrl, idpEntityId, sampleResponse, spEntityId } from './saml-sample.ts'

/**
 * Figure 2: the ACS's validation (decode the POST form value, parse once, every check of
 * sp/acs/validate-response.ts) against @node-saml/node-saml's validatePostResponseAsync, on the
 * same IdP-initiated Response with both signatures required on both sides. Nothing is recorded
 * as used, so the same Response validates on every call on both sides.
 */
export async function samlValidation(ctx: BenchContext): Promise<Figure[]> {
  const { idp } = ctx.keys
  const form = {
    SAMLResponse: Buffer.from(sampleResponse(idp, systemClock.now()), 'utf8').toString('base64'),
  }
  const settings = {
    spEntityId,
    acsUrl,
    idpEntityId,
    idpCertificates: [idp.certificatePem],
    clockSkewMs: 60_000,
    wantAssertionsSigned: true,
    wantResponseSigned: true,
    allowUnsolicited: true,
  }
  const state = {
    clock: systemClock,
    replay: createReplayCache(createExpiringMap(systemClock)),
    isPendingRequest: () => false,
  }
  const nodeSaml = new SAML({
    idpCert: idp.certificatePem,
    issuer: spEntityId,
    callbackUrl: acsUrl,
    audience: spEntityId,
    idpIssuer: idpEntityId,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    validateInResponseTo: ValidateInResponseTo.never,
  })
  const rates = await measureRates(
    {
      ssoproof: () => {
        const { xml } = decodePost(form, 'SAMLResponse')
        const validated = validateResponse(parseXml(xml), settings, state)
        if (validated.nameId !== 'carol') throw new Error('ssoproof read another subject')
      },
      nodeSaml: async () => {
        const { profile } = await nodeSaml.validatePostResponseAsync(form)
        if (profile?.nameID !== 'carol') throw new Error('node-saml read another subject')
      },
    },
    ctx.budget,
  )
  return [
    figure(
      {
        id: 'saml-validation',
        item: 2,
        title: 'SAML Response validation (SP ACS, in-process)',
        value: rates.ssoproof.perSecond,
        unit: 'responses/s',
        higherIsBetter: true,
        comparison: {
          kind: 'peer',
          name: 'node-saml validatePostResponseAsync',
          value: rates.nodeSaml.perSecond,
          unit: 'responses/s',
        },
        note: `2 signatures verified; p99 ${rates.ssoproof.p99Ms.toFixed(2)} ms vs ${rates.nodeSaml.p99Ms.toFixed(2)} ms`,
        details: {
          meanMs: rates.ssoproof.meanMs,
          p99Ms: rates.ssoproof.p99Ms,
          runs: rates.ssoproof.runs,
          peerMeanMs: rates.nodeSaml.meanMs,
          peerRuns: rates.nodeSaml.runs,
          responseBytes: Buffer.byteLength(form.SAMLResponse),
        },
      },
      { text: 'ratio ≥ 2', met: (ratio) => (ratio ?? 0) >= 2 },
    ),
  ]
}
