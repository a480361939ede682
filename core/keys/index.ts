export { cacheParsed, certificatePublicKeyOf, privateKeyOf } from './cache.ts'
export type { Credential } from './credential.ts'
export { type CreateCredentialOptions, createCredential } from './generate.ts'
export {
  type CredentialFiles,
  type CredentialPem,
  loadCredential,
  loadCredentialFiles,
} from './load.ts'
export { type ParsedCertificate, parseCertificate } from './parse.ts'
export { loadOrCreateCredential, type StoredCredentialOptions } from './store.ts'
