import { SsoError } from '../errors/index.ts'

// saml-core §1.3.3: xs:dateTime in UTC with no time zone other than Z.
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/

/** Parses a SAML instant into epoch milliseconds; anything but a UTC xs:dateTime is refused. */
export function parseInstant(value: string, check: string): number {
  const ms = instantPattern.test(value)
    ? Date.parse(value.replace(/(\.\d{3})\d+Z$/, '$1Z'))
    : Number.NaN
  if (!Number.isFinite(ms)) {
    throw new SsoError('SAML_TIMESTAMP_INVALID', check, `${check} is not a UTC xs:dateTime`, {
      value: value.slice(0, 40),
    })
  }
  return ms
}
