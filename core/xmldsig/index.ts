export {
  type DigestAlgorithmName,
  digestAlgorithms,
  type SignatureAlgorithmName,
  signatureAlgorithms,
  transforms,
} from './algorithm-ids.ts'
export type { WarningSink } from './legacy.ts'
export { type SignOptions, signElement } from './sign.ts'
export { type VerifiedSignature, type VerifyOptions, verifyElementSignature } from './verify.ts'
