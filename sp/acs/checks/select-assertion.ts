import type { Element } from '@xmldom/xmldom'
import { SsoError } from '../../../core/errors/index.ts'
import { decryptAssertion } from '../../../core/saml/encryption.ts'
import { attr, descendantsNamed, isElement, ns, ownerDocumentOf } from '../../../core/xml/index.ts'
import type { AcsContext } from '../context.ts'

const assertionNames = ['Assertion', 'EncryptedAssertion'] as const

/**
 * Exactly one Assertion or EncryptedAssertion in the whole document, and it is a direct child of
 * the Response: an Assertion anywhere else (in Extensions, in a Signature Object, beside an evil
 * copy) is how signature-wrapping attacks hide the signed one. An EncryptedAssertion is decrypted
 * with the SP's key (saml-core §2.3.4) into a document of its own that must hold that one
 * Assertion and no other; the checks after this one verify and read the decrypted element.
 */
export function selectAssertion(ctx: AcsContext): void {
  const doc = ownerDocumentOf(ctx.response)
  const [plain = [], encrypted = []] = descendantsNamed(doc, ns.saml, assertionNames)
  const found = plain[0] ?? encrypted[0]
  if (plain.length + encrypted.length !== 1 || !found) {
    throw new SsoError(
      'SAML_ASSERTION_COUNT',
      'Assertion',
      encrypted.length === 0
        ? `the Response holds ${plain.length} Assertions; exactly one is required`
        : `the Response holds ${plain.length} Assertions and ${encrypted.length} EncryptedAssertions; exactly one in all is required`,
      { count: plain.length, encrypted: encrypted.length },
    )
  }
  if (found.parentNode !== ctx.response) {
    throw new SsoError(
      'SAML_ASSERTION_COUNT',
      'Assertion',
      `the ${found.localName} is not a direct child of the Response`,
      { parent: isElement(found.parentNode) ? found.parentNode.localName : null },
    )
  }
  const assertion = found.localName === 'EncryptedAssertion' ? decrypt(ctx, found) : found
  if (found === assertion && ctx.settings.wantAssertionsEncrypted) {
    throw new SsoError(
      'SAML_ASSERTION_UNENCRYPTED',
      'EncryptedAssertion',
      'the SP wants the Assertion encrypted, and it is not',
      {},
    )
  }
  const id = attr(assertion, 'ID')
  if (!id || attr(assertion, 'Version') !== '2.0') {
    throw new SsoError(
      'SAML_RESPONSE_INVALID',
      'Assertion',
      'the Assertion needs an ID and Version 2.0',
      {},
    )
  }
  ctx.assertion = assertion
  ctx.assertionId = id
}

function decrypt(ctx: AcsContext, encryptedAssertion: Element): Element {
  const privateKeyPem = ctx.settings.decryptionKeyPem
  if (privateKeyPem === undefined) {
    throw new SsoError(
      'SAML_ENCRYPTED_UNSUPPORTED',
      'EncryptedAssertion',
      'the Response carries an encrypted assertion, and this SP has no decryption key configured',
      {},
    )
  }
  const assertion = decryptAssertion(encryptedAssertion, {
    privateKeyPem,
    allowLegacyCrypto: ctx.settings.allowLegacyCrypto ?? false,
    onWarning: ctx.warn,
  })
  const inside = ownerDocumentOf(assertion)
  const [plain = [], encrypted = []] = descendantsNamed(inside, ns.saml, assertionNames)
  const nested = plain.length - 1 + encrypted.length
  if (nested > 0) {
    throw new SsoError(
      'SAML_ASSERTION_COUNT',
      'EncryptedAssertion',
      'the decrypted Assertion holds another Assertion',
      { nested },
    )
  }
  return assertion
}
