import { systemClock } from '../../../core/clock/index.ts'
import { buildResponse } from '../../../idp/response/build-response.ts'
import type { BenchContext } from '../bench-context.ts'
import { type Figure, figure } from '../bench-report.ts'
import { measureRates } from '../measure.ts'
import { rsaJobs } from './crypto-limits.ts'
import { idpSigning, successContent } from './saml-sample.ts'

/** Signatures in one Response with the IdP's default registration (Assertion and Response). */
const signaturesPerResponse = 2

/**
 * Figure 1: the IdP's buildResponse (build + sign, in-process, one core) against the raw
 * RSA-2048 SHA-256 sign rate of the same KeyObject, measured side by side. The limit is the sign
 * rate divided by the signatures in a Response: ratio 1 would mean the XML work is free.
 */
export async function samlIssuance(ctx: BenchContext): Promise<Figure[]> {
  const { idp } = ctx.keys
  const signing = idpSigning(idp)
  const rates = await measureRates(
    {
      issue: () => buildResponse(successContent(systemClock.now()), signing),
      sign: rsaJobs(idp.privateKey, idp.publicKey).sign,
    },
    ctx.budget,
  )
  return [
    figure(
      {
        id: 'saml-issuance',
        item: 1,
        title: 'SAML Response build + sign (IdP, in-process)',
        value: rates.issue.perSecond,
        unit: 'responses/s',
        higherIsBetter: true,
        comparison: {
          kind: 'limit',
          name: `RSA sign ÷ ${signaturesPerResponse}`,
          value: rates.sign.perSecond / signaturesPerResponse,
          unit: 'responses/s',
        },
        note: `${signaturesPerResponse} signatures/response; raw sign ${Math.round(rates.sign.perSecond)}/s; p99 ${rates.issue.p99Ms.toFixed(2)} ms`,
        details: {
          signaturesPerResponse,
          rawSignPerSecond: rates.sign.perSecond,
          meanMs: rates.issue.meanMs,
          p99Ms: rates.issue.p99Ms,
          runs: rates.issue.runs,
        },
      },
      { text: 'ratio ≥ 0.5', met: (ratio) => (ratio ?? 0) >= 0.5 },
    ),
  ]
}
