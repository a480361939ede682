import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { SsoError } from '../errors/index.ts'
import { createSeededRandom } from '../random/index.ts'
import { artifactSourceId, encodeArtifact, parseArtifact } from './artifact.ts'

function codeOf(action: () => unknown): string | undefined {
  try {
    action()
    return undefined
  } catch (error) {
    if (error instanceof SsoError) return error.code
    throw error
  }
}

describe('SAML artifact type 0x0004', () => {
  const sourceId = artifactSourceId('https://idp.example/saml/metadata')
  const messageHandle = createSeededRandom('artifact').bytes(20)

  it('uses the SHA-1 of the entity ID as SourceID', () => {
    expect(sourceId).toEqual(
      createHash('sha1').update('https://idp.example/saml/metadata').digest(),
    )
    expect(sourceId).toHaveLength(20)
  })

  it('lays out TypeCode, EndpointIndex, SourceID and MessageHandle, and reads them back', () => {
    const value = encodeArtifact({ endpointIndex: 0x0102, sourceId, messageHandle })
    expect(value).toHaveLength(60)
    const bytes = Buffer.from(value, 'base64')
    expect(bytes).toHaveLength(44)
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x04, 0x01, 0x02]))
    expect(bytes.subarray(4, 24)).toEqual(sourceId)
    expect(bytes.subarray(24)).toEqual(messageHandle)
    const parsed = parseArtifact(value)
    expect(parsed.endpointIndex).toBe(0x0102)
    expect(parsed.sourceId).toEqual(sourceId)
    expect(parsed.messageHandle).toEqual(messageHandle)
  })

  it('refuses what it cannot encode', () => {
    expect(() => encodeArtifact({ endpointIndex: 0x10000, sourceId, messageHandle })).toThrow(
      TypeError,
    )
    expect(() =>
      encodeArtifact({ endpointIndex: 0, sourceId: sourceId.subarray(1), messageHandle }),
    ).toThrow(TypeError)
  })

  it('refuses another type code, a wrong length, bad base64 and overlong values', () => {
    const other = Buffer.alloc(44)
    other.writeUInt16BE(0x0002, 0)
    const error = (() => {
      try {
        parseArtifact(other.toString('base64'))
      } catch (caught) {
        return caught as SsoError
      }
    })()
    expect(error?.code).toBe('SAML_ARTIFACT_INVALID')
    expect(error?.evidence).toEqual({ typeCode: '0x0002' })

    const short = Buffer.concat([Buffer.from([0, 4, 0, 0]), sourceId])
    expect(codeOf(() => parseArtifact(short.toString('base64')))).toBe('SAML_ARTIFACT_INVALID')
    expect(codeOf(() => parseArtifact('not base64!'))).toBe('SAML_ARTIFACT_INVALID')
    expect(codeOf(() => parseArtifact('AA=='))).toBe('SAML_ARTIFACT_INVALID')
    expect(codeOf(() => parseArtifact('A'.repeat(200)))).toBe('SAML_ARTIFACT_INVALID')
    expect(codeOf(() => parseArtifact(''))).toBe('SAML_ARTIFACT_INVALID')
  })
})
