import { html } from 'hono/html'
import { SsoError } from '../errors/index.ts'
import { xmlLimits } from '../xml/index.ts'
import { decodeBase64Strict } from './base64.ts'
import { checkRelayState } from './relay-state.ts'

/** HTTP-POST binding (saml-bindings-2.0-os §3.5). */
export type PostParam = 'SAMLRequest' | 'SAMLResponse'

export interface PostFormOptions {
  action: string
  param: PostParam
  xml: string
  relayState?: string
}

/**
 * An HTML page whose form posts the base64 message to `action` by itself; without script a
 * person presses the button (§3.5.4).
 */
export function postForm(options: PostFormOptions): string {
  const value = Buffer.from(options.xml, 'utf8').toString('base64')
  return selfSubmittingForm(options.action, {
    [options.param]: value,
    ...(options.relayState !== undefined ? { RelayState: options.relayState } : {}),
  })
}

/**
 * The self-submitting page itself, with any hidden fields: also how the HTTP-Artifact binding
 * sends SAMLart by POST (saml-bindings §3.6.3).
 */
export function selfSubmittingForm(action: string, fields: Record<string, string>): string {
  return html`<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Continue sign-in</title></head>
  <body onload="document.forms[0].submit()">
    <form method="post" action="${action}">
      ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
      <noscript><p>Script is off: press the button to continue.</p></noscript>
      <button type="submit">Continue</button>
    </form>
  </body>
</html>`.toString()
}

export interface DecodedPost {
  xml: string
  relayState: string | undefined
}

/** Reads a POST-binding form body; the base64 is capped before decoding. */
export function decodePost(
  form: Record<string, string | File | (string | File)[]>,
  param: PostParam,
  maxBytes = xmlLimits.maxBytes,
): DecodedPost {
  const value = single(form[param], param)
  if (value === undefined || value === '') {
    throw new SsoError('SAML_MESSAGE_MISSING', 'HTTP-POST', `the form carries no ${param}`, {
      parameter: param,
    })
  }
  if (value.length > Math.ceil((maxBytes * 4) / 3) + 4096) {
    throw new SsoError('XML_TOO_LARGE', 'HTTP-POST', `${param} is larger than the size cap`, {
      maxBytes,
    })
  }
  const relayState = single(form.RelayState, 'RelayState')
  checkRelayState(relayState)
  return { xml: decodeBase64Strict(value, `HTTP-POST ${param}`).toString('utf8'), relayState }
}

function single(
  value: string | File | (string | File)[] | undefined,
  name: string,
): string | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string') return value
  throw new SsoError('SAML_BINDING_INVALID', 'HTTP-POST', `${name} must be given once, as text`, {
    parameter: name,
  })
}
