import type { Credential } from '../core/keys/index.ts'
import type { Idp } from '../idp/create-idp.tsx'
import type { Sp } from '../sp/create-sp.tsx'
import { pairIdp } from './pair-idp.ts'
import { parsePairIdpOptions } from './pair-idp-options.ts'
import type { PairOptions } from './pair-options.ts'

/** `createPairInSteps`' options: the pair's but the SP's credential, given at the second step. */
export type PairFirstStepOptions = Omit<PairOptions, 'spCredential'>

/**
 * `createPair` in two steps, for `serve`: the IdP at once, so that it can answer while the SP's
 * key is still being generated, and its SP once that credential is there (`attach`). The first
 * step checks the IdP's settings and loads the IdP alone; `attach` loads the SP, checks the whole
 * options as `createPair` does (the SP's settings, unknown keys) and wires the SP.
 */
export function createPairInSteps(input: PairFirstStepOptions): {
  idp: Idp
  /** `sp`: the SP's settings when they are known only now (serve opens the SP's database here). */
  attach(spCredential: Credential, sp?: PairOptions['sp']): Promise<Sp>
} {
  const idp = pairIdp(parsePairIdpOptions(input))
  return {
    idp,
    attach: async (spCredential, sp) => {
      const { attachPairSp } = await import('./pair.ts')
      return attachPairSp(idp, { ...input, spCredential, ...(sp ? { sp } : {}) })
    },
  }
}
