import { createHash } from 'node:crypto'
import { SsoError } from '../errors/index.ts'
import { decodeBase64Strict } from './base64.ts'

/**
 * The SAML 2.0 artifact, type 0x0004 (saml-bindings-2.0-os §3.6.4):
 * TypeCode (2 bytes) ‖ EndpointIndex (2) ‖ SourceID (20) ‖ MessageHandle (20), in base64.
 */
export const artifactTypeCode = 0x0004
const sourceIdBytes = 20
const messageHandleBytes = 20
const artifactBytes = 4 + sourceIdBytes + messageHandleBytes
/** 44 bytes are 60 base64 characters; anything much longer is refused before decoding. */
const maxArtifactChars = 128

export interface Artifact {
  /** Index of the issuer's ArtifactResolutionService the requester should use. */
  endpointIndex: number
  /** SHA-1 of the issuer's entity ID. */
  sourceId: Buffer
  /** Random, so that it cannot be guessed. */
  messageHandle: Buffer
}

/** §3.6.4: "SourceID … the SHA-1 hash of the identification URL" (the entity ID). */
export function artifactSourceId(entityId: string): Buffer {
  return createHash('sha1').update(entityId, 'utf8').digest()
}

export function encodeArtifact(artifact: Artifact): string {
  const { endpointIndex, sourceId, messageHandle } = artifact
  if (!Number.isInteger(endpointIndex) || endpointIndex < 0 || endpointIndex > 0xffff) {
    throw new TypeError('encodeArtifact: endpointIndex must fit two bytes')
  }
  if (sourceId.length !== sourceIdBytes || messageHandle.length !== messageHandleBytes) {
    throw new TypeError('encodeArtifact: SourceID and MessageHandle are 20 bytes each')
  }
  const head = Buffer.alloc(4)
  head.writeUInt16BE(artifactTypeCode, 0)
  head.writeUInt16BE(endpointIndex, 2)
  return Buffer.concat([head, sourceId, messageHandle]).toString('base64')
}

/** Reads a SAMLart value; anything but a well-formed type 0x0004 artifact is SAML_ARTIFACT_INVALID. */
export function parseArtifact(value: string, check = 'SAMLart'): Artifact {
  if (value.length > maxArtifactChars) {
    throw invalid(check, 'the artifact is far longer than a type 0x0004 artifact', {
      length: value.length,
    })
  }
  let bytes: Buffer
  try {
    bytes = decodeBase64Strict(value, check)
  } catch {
    throw invalid(check, 'the artifact is not valid base64', { length: value.length })
  }
  if (bytes.length < 2) {
    throw invalid(check, 'the artifact is too short to carry a type code', { bytes: bytes.length })
  }
  const typeCode = bytes.readUInt16BE(0)
  if (typeCode !== artifactTypeCode) {
    throw invalid(check, 'the artifact type code is not 0x0004', {
      typeCode: `0x${typeCode.toString(16).padStart(4, '0')}`,
    })
  }
  if (bytes.length !== artifactBytes) {
    throw invalid(check, `a type 0x0004 artifact is ${artifactBytes} bytes`, {
      bytes: bytes.length,
    })
  }
  return {
    endpointIndex: bytes.readUInt16BE(2),
    sourceId: bytes.subarray(4, 4 + sourceIdBytes),
    messageHandle: bytes.subarray(4 + sourceIdBytes),
  }
}

function invalid(check: string, reason: string, evidence: Record<string, string | number>) {
  return new SsoError('SAML_ARTIFACT_INVALID', check, reason, evidence)
}
