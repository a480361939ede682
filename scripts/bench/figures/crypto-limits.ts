import { constants, type KeyObject, sign, verify } from 'node:crypto'
import type { BenchContext } from '../bench-context.ts'
import { type Figure, figure } from '../bench-report.ts'
import { measureRates } from '../measure.ts'

/** Raw RSA-2048 PKCS#1 v1.5 SHA-256 rates of one key, the physical limit the figures compare to. */
export interface CryptoLimits {
  signPerSecond: number
  verifyPerSecond: number
}

/** About the size of a canonical ds:SignedInfo or a JWS signing input. */
const message = Buffer.alloc(700, 'x')

export function rsaJobs(privateKey: KeyObject, publicKey: KeyObject) {
  const signature = sign('sha256', message, privateKey)
  const options = { key: publicKey, padding: constants.RSA_PKCS1_PADDING }
  return {
    sign: () => sign('sha256', message, privateKey),
    verify: () => {
      if (!verify('sha256', message, options, signature))
        throw new Error('signature does not verify')
    },
  }
}

/** Figure 0: `crypto.sign` / `crypto.verify` with KeyObjects, nothing else. */
export async function cryptoLimits(
  ctx: BenchContext,
): Promise<{ limits: CryptoLimits; figures: Figure[] }> {
  const { idp } = ctx.keys
  const rates = await measureRates(rsaJobs(idp.privateKey, idp.publicKey), ctx.budget)
  const limits = { signPerSecond: rates.sign.perSecond, verifyPerSecond: rates.verify.perSecond }
  const row = (id: string, title: string, value: number, unit: string) =>
    figure({
      id,
      item: 0,
      title,
      value,
      unit,
      higherIsBetter: true,
      note: 'crypto.sign/verify, KeyObject, one core',
      details: {},
    })
  return {
    limits,
    figures: [
      row('rsa-sign', 'RSA-2048 SHA-256 sign (limit)', limits.signPerSecond, 'signs/s'),
      row('rsa-verify', 'RSA-2048 SHA-256 verify (limit)', limits.verifyPerSecond, 'verifies/s'),
    ],
  }
}
