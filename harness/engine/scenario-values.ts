import * as z from 'zod'
import { parseDuration } from '../../core/clock/index.ts'

/** Value shapes shared by the scenario setup, the steps and the expectations. */

export const durationSchema = z
  .string()
  .regex(/^(?:\d+(?:ms|s|m|h|d))+$/, 'a duration such as 90s, 5m, 48h or 47h59m')
  .transform((text) => parseDuration(text))

export const sameOriginPathSchema = z
  .string()
  .regex(/^\/(?!\/)/, 'a path on the SP starting with a single "/", e.g. /account?tab=2')

/** A page text or message shortened for a step's description or a mismatch. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}
