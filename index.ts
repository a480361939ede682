/**
 * The ssoproof library: the mock IdP, the reference SP and the pair of them wired to each other,
 * each a plain Hono app built by its factory, plus what a caller needs to give them (a signing
 * credential, a clock, randomness). The CLI (`bin`), the scenario engine and the project's own
 * tests start from these same factories.
 */
export { type Clock, createManualClock, type ManualClock, systemClock } from './core/clock/index.ts'
export {
  type CreateCredentialOptions,
  type Credential,
  type CredentialFiles,
  type CredentialPem,
  createCredential,
  loadCredential,
  loadCredentialFiles,
  loadOrCreateCredential,
} from './core/keys/index.ts'
export { createSeededRandom, type Random, systemRandom } from './core/random/index.ts'
export { createPair, type PairOptions } from './harness/pair.ts'
export { createIdp, type Idp } from './idp/create-idp.tsx'
export type { IdpOptions } from './idp/options.ts'
export { createSp, type Sp, type SpCampaign } from './sp/create-sp.tsx'
export type { SpOptions, SpProtocol } from './sp/options.ts'
