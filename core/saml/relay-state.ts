import { SsoError } from '../errors/index.ts'

/** saml-bindings §3.4.3 and §3.5.3: RelayState MUST NOT exceed 80 bytes. */
export const maxRelayStateBytes = 80

export function checkRelayState(relayState: string | undefined): void {
  if (relayState !== undefined && Buffer.byteLength(relayState, 'utf8') > maxRelayStateBytes) {
    throw new SsoError(
      'SAML_RELAY_STATE_TOO_LONG',
      'RelayState',
      'RelayState is longer than 80 bytes',
      {
        bytes: Buffer.byteLength(relayState, 'utf8'),
        maxBytes: maxRelayStateBytes,
      },
    )
  }
}
