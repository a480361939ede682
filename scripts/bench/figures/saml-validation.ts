import { join } from 'node:path'
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml'
import { systemClock } from '../../../core/clock/index.ts'
import { systemRandom } from '../../../core/random/index.ts'
import { createPair } from '../../../harness/pair.ts'
import { openSpDatabase } from '../../../sp/store/database.ts'
import type { BenchContext } from '../bench-context.ts'
import { type Figure, figure } from '../bench-report.ts'
import { measureRates } from '../measure.ts'
import { acsUrl, idpEntityId, sampleResponse, spEntityId } from './saml-sample.ts'

// saml-sample.ts's Responses name these URLs.
const idpUrl = 'http://127.0.0.1:7000'
const spUrl = 'http://127.0.0.1:7100'

/** Samples per side: the ACS records each Assertion ID, so each of its runs needs a new Response. */
const samples = { full: 400, smoke: 3 }

/**
 * Figure 2: a signed IdP-initiated Response POSTed to the real reference SP's ACS (createPair's
 * SP app, its SQLite store in a file: decode, parse, every check of sp/acs/validate-response.ts,
 * the replay record, the contact, the session, the 303), beside @node-saml/node-saml's
 * validatePostResponseAsync on a Response of the same shape with both signatures required (it
 * stores nothing). Each ACS run gets a Response of its own, signed before the measurement.
 */
export async function samlValidation(ctx: BenchContext): Promise<Figure[]> {
  const { idp } = ctx.keys
  const database = openSpDatabase(join(ctx.scratchDir, 'validation-sp.sqlite'))
  const { sp } = createPair({
    idpBaseUrl: idpUrl,
    spBaseUrl: spUrl,
    idpCredential: ctx.keys.idp,
    spCredential: ctx.keys.sp,
    clock: systemClock,
    random: systemRandom,
    log: () => {},
    sp: { allowUnsolicited: true, database },
  })
  const count = samples[ctx.budget.mode]
  const forms = Array.from({ length: count * 2 + 10 }, () => signedForm(idp))
  const peerForm = signedForm(idp)
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
  try {
    const rates = await measureRates(
      {
        ssoproof: async () => {
          const form = forms.pop()
          if (!form) throw new Error('the bench signed too few Responses')
          const answer = await sp.app.request(acsUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: idpUrl },
            body: new URLSearchParams(form).toString(),
          })
          if (answer.status !== 303) throw new Error(`the ACS answered ${answer.status}`)
        },
        nodeSaml: async () => {
          const { profile } = await nodeSaml.validatePostResponseAsync(peerForm)
          if (profile?.nameID !== 'carol') throw new Error('node-saml read another subject')
        },
      },
      ctx.budget,
      { samples: count },
    )
    return [
      figure(
        {
          id: 'saml-validation',
          item: 2,
          title: 'SAML Response through the real ACS and its SQLite store (in-process)',
          value: rates.ssoproof.perSecond,
          unit: 'responses/s',
          higherIsBetter: true,
          comparison: {
            kind: 'peer',
            name: 'node-saml validatePostResponseAsync (no store)',
            value: rates.nodeSaml.perSecond,
            unit: 'responses/s',
          },
          note: `2 signatures verified, replay record, contact and session written; p99 ${rates.ssoproof.p99Ms.toFixed(2)} ms vs ${rates.nodeSaml.p99Ms.toFixed(2)} ms`,
          details: {
            meanMs: rates.ssoproof.meanMs,
            p99Ms: rates.ssoproof.p99Ms,
            runs: rates.ssoproof.runs,
            peerMeanMs: rates.nodeSaml.meanMs,
            peerRuns: rates.nodeSaml.runs,
          },
        },
        { text: 'ratio ≥ 5', met: (ratio) => (ratio ?? 0) >= 5 },
      ),
    ]
  } finally {
    sp.close()
    database.close()
  }
}

/** A fresh IdP-initiated Response for carol, both signatures, as the POST form value. */
function signedForm(idp: BenchContext['keys']['idp']): { SAMLResponse: string } {
  const xml = sampleResponse(idp, systemClock.now())
  return { SAMLResponse: Buffer.from(xml, 'utf8').toString('base64') }
}
