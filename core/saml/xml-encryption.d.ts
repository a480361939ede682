/**
 * The part of xml-encryption 3.1 (which ships no types) that core/saml/encryption.ts calls.
 * Both functions answer through the callback; `decrypt` does so before it returns.
 */
declare module 'xml-encryption' {
  export interface EncryptOptions {
    /** The recipient's RSA public key. */
    rsa_pub: string | Buffer
    /** The recipient's certificate, put into the EncryptedKey's KeyInfo. */
    pem: string | Buffer
    encryptionAlgorithm: string
    keyEncryptionAlgorithm: string
    disallowEncryptionWithInsecureAlgorithm?: boolean
    warnInsecureAlgorithm?: boolean
  }

  export interface DecryptOptions {
    key: string | Buffer
    disallowDecryptionWithInsecureAlgorithm?: boolean
    warnInsecureAlgorithm?: boolean
  }

  /** Encrypts `content` into an xenc:EncryptedData element with an xenc:EncryptedKey in its KeyInfo. */
  export function encrypt(
    content: string,
    options: EncryptOptions,
    callback: (error: Error | null, result?: string) => void,
  ): void

  /** Decrypts the first xenc:EncryptedData of `xml` to its plaintext. */
  export function decrypt(
    xml: string,
    options: DecryptOptions,
    callback: (error: Error | null, result?: string) => void,
  ): void
}
