import { SsoError } from '../errors/index.ts'

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/

/** Decodes base64, tolerating line breaks and spaces; anything else is a binding error. */
export function decodeBase64Strict(value: string, check: string): Buffer {
  const compact = value.replace(/[\s]+/g, '')
  if (compact.length === 0 || compact.length % 4 === 1 || !base64Pattern.test(compact)) {
    throw new SsoError('SAML_BINDING_INVALID', check, 'the value is not valid base64', {
      length: value.length,
    })
  }
  return Buffer.from(compact, 'base64')
}
