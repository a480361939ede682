import type { Page } from '../../../harness/http-driver/user-agent.ts'
import type { Mapping } from '../../../sp/campaigns/settings.ts'
import type { LabBrowser } from '../../lab/browser.ts'

/** How a real IdP of the lab answers one SP (the cells switch these between flows). */
export interface IdpSpSettings {
  nameIdFormat: 'persistent' | 'transient'
  encryptAssertion: boolean
  /** pysaml2 only: its own 3DES-CBC default, or AES-256-CBC (see pysaml2_backend.py). */
  contentEncryption?: 'tripledes-cbc' | 'aes256-cbc'
}

export const defaultSpSettings: IdpSpSettings = {
  nameIdFormat: 'persistent',
  encryptAssertion: false,
}

/** What a real IdP reports about one browser's session there. */
export interface IdpSession {
  signedIn: boolean
  user?: string
  /** The SPs of the session, with the NameID the IdP issued to each when it says so. */
  sps: Record<string, { nameId?: string; format?: string }>
}

/**
 * A real SAML IdP as the reference-SP cells drive it: whatever runs it (pysaml2, Lasso,
 * SimpleSAMLphp), the cells trust SPs at it, sign in at its login page, read what it holds
 * about the browser's session, and start its own single logout.
 */
export interface LabIdp {
  /** Its row in the matrix. */
  id: string
  title: string
  entityId: string
  metadataUrl: string
  /** The reference SP's data mapping for the attribute names this IdP sends. */
  mappings: Mapping[]
  /** The attribute mapped to `email`, as this IdP sends it: cells read alice's address there. */
  emailAttribute: string
  /** Trusts these SPs (their metadata) and answers each as its settings say; replaces the list. */
  setSps(sps: Array<{ metadata: string; settings: IdpSpSettings }>): Promise<void>
  /**
   * Starts an IdP-initiated sign-in at this SP (saml-profiles §4.1.5), RelayState the path the
   * SP should land on; the IdP's login page.
   */
  startUnsolicited(browser: LabBrowser, spEntityId: string, relayState: string): Promise<Page>
  /** At its login page, signs in as `user` (alice or bob); the page the browser ends on. */
  logIn(browser: LabBrowser, page: Page, user: 'alice' | 'bob'): Promise<Page>
  /** This browser's session at the IdP, as the IdP reports it. */
  session(browser: LabBrowser): Promise<IdpSession>
  /** IdP-initiated single logout of this browser; the SPs that confirmed, as the IdP reports. */
  logout(browser: LabBrowser): Promise<{ confirmed: string[]; failed: string[] }>
}

/** The people of the lab's IdPs, with the attributes they release (basic names). */
export const labUsers = {
  alice: {
    password: 'alice-password',
    attributes: { uid: ['alice'], mail: ['alice@example.com'], displayName: ['Alice Andersen'] },
  },
  bob: {
    password: 'bob-password',
    attributes: { uid: ['bob'], mail: ['bob@example.com'], displayName: ['Bob Brown'] },
  },
} as const

/** The mapping for an IdP that sends the users' attributes under their basic names. */
export const basicNameMappings: Mapping[] = [
  { attribute: 'uid', field: 'id', required: false },
  { attribute: 'mail', field: 'email', required: true },
  { attribute: 'displayName', field: 'name', required: false },
]
