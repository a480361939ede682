import { SsoError } from '../../core/errors/index.ts'
import { causeOf, readCapped } from '../../core/http/outbound.ts'
import { soapAction, soapContentType } from '../../core/saml/soap.ts'
import { xmlLimits } from '../../core/xml/index.ts'

export interface SoapAnswer {
  status: number
  /** The body as text; undefined when it is larger than the XML size cap. */
  text: string | undefined
}

export interface SendSoapOptions {
  fetch: typeof fetch
  url: string
  envelope: string
  timeoutMs: number
}

/**
 * POSTs a SOAP envelope (saml-bindings §3.2.3) and reads the answer within `timeoutMs`, body
 * included. No answer in time: SAML_ARTIFACT_RESOLVE_TIMEOUT; no connection (refused, unknown
 * host, reset): SAML_ARTIFACT_RESOLVE_UNREACHABLE. The body is read up to the XML size cap.
 */
export async function sendSoap(options: SendSoapOptions): Promise<SoapAnswer> {
  const signal = AbortSignal.timeout(options.timeoutMs)
  try {
    const response = await options.fetch(options.url, {
      method: 'POST',
      headers: { 'Content-Type': soapContentType, SOAPAction: `"${soapAction}"` },
      body: options.envelope,
      redirect: 'manual',
      signal,
    })
    return { status: response.status, text: await readCapped(response, xmlLimits.maxBytes) }
  } catch (error) {
    if (signal.aborted) {
      throw new SsoError(
        'SAML_ARTIFACT_RESOLVE_TIMEOUT',
        'ArtifactResolutionService',
        `the artifact resolution service did not answer within ${options.timeoutMs} ms`,
        { url: options.url, timeoutMs: options.timeoutMs },
      )
    }
    throw new SsoError(
      'SAML_ARTIFACT_RESOLVE_UNREACHABLE',
      'ArtifactResolutionService',
      'the SP could not reach the artifact resolution service',
      { url: options.url, cause: causeOf(error) },
    )
  }
}
