import type { WarningSink } from '../../core/xmldsig/index.ts'
import type { SpRegistration } from './registration.ts'

export interface SpCryptoAllowance {
  allowSha1: boolean
  onWarning: WarningSink
}

/**
 * What the IdP accepts in a message this SP signed: SHA-1 only when its registration opts in
 * (`legacyCrypto`, unsafe), and then each time as a line in the IdP log naming the SP.
 */
export function spCryptoAllowance(
  log: (line: string) => void,
  sp: Pick<SpRegistration, 'entityId' | 'legacyCrypto'>,
): SpCryptoAllowance {
  return {
    allowSha1: sp.legacyCrypto,
    onWarning: (warning) =>
      log(`IdP warning: ${warning.code} from ${sp.entityId} (legacyCrypto): ${warning.reason}`),
  }
}
