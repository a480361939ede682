import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '../../../harness/http-driver/user-agent.ts'
import { pageJson } from '../../cells/idp-login.ts'
import type { LabBrowser } from '../../lab/browser.ts'
import {
  basicNameMappings,
  type IdpSession,
  type LabIdp,
  labUsers,
} from '../reference-sp/lab-idp.ts'
import type { SimpleSamlHandle } from './peer.ts'
import { remoteSpsPhp } from './remote-sps.ts'

/**
 * SimpleSAMLphp's hosted IdP (saml20-idp-hosted.php.in: the `lab-users` authsource, transient
 * NameIDs by default, artifacts on request) as the reference-SP cells drive it. The SPs it trusts
 * go into its flat-file metadata; its session and SP associations are read from SimpleSAMLphp
 * itself (www/idp.php); what its single logout achieved, from its own log.
 */
export function simpleSamlIdp(handle: SimpleSamlHandle): LabIdp {
  const log = join(handle.stateDir, 'log', 'simplesamlphp.log')
  const whoami = `${handle.baseUrl}/lab/idp.php?action=whoami`
  return {
    id: 'simplesamlphp-idp',
    title: 'SimpleSAMLphp IdP',
    entityId: handle.idpEntityId,
    metadataUrl: handle.idpEntityId,
    mappings: basicNameMappings,
    emailAttribute: 'mail',
    async setSps(sps) {
      writeFileSync(join(handle.stateDir, 'metadata', 'saml20-sp-remote.php'), remoteSpsPhp(sps))
    },
    // SimpleSAMLphp's IdP-initiated endpoint (www/saml2/idp/SSOService.php, spentityid).
    startUnsolicited: (browser, sp, relayState) =>
      browser.navigate(
        `${handle.baseUrl}/simplesaml/saml2/idp/SSOService.php?spentityid=${encodeURIComponent(sp)}&RelayState=${encodeURIComponent(relayState)}`,
      ),
    async logIn(browser, page, user) {
      if (!page.document.querySelector('input[name="password"]')) {
        throw new Error(`expected SimpleSAMLphp's login form at ${page.url} (HTTP ${page.status})`)
      }
      const form = page.document.querySelector('input[name="password"]')?.closest('form')
      if (!form) throw new Error(`no login form at ${page.url}`)
      const answer = await browser.submit(page, form, {
        username: user,
        password: labUsers[user].password,
      })
      return postedOn(browser, answer)
    },
    session: async (browser) => pageJson<IdpSession>(await browser.request(whoami)),
    async logout(browser) {
      const before = readLog(log).length
      const back = encodeURIComponent(whoami)
      await browser.navigate(
        `${handle.baseUrl}/simplesaml/saml2/idp/SingleLogoutService.php?ReturnTo=${back}`,
      )
      // SimpleSAMLphp logs each SP's answer to its LogoutRequest (TraditionalLogoutHandler).
      const lines = readLog(log).slice(before)
      const named = (pattern: RegExp) =>
        lines.flatMap((line) => {
          const found = pattern.exec(line)
          return found?.[1] ? [found[1].replace(/^saml:/, '')] : []
        })
      return {
        confirmed: named(/Logged out of '([^']+)'/),
        failed: named(/Error received from '([^']+)' during logout/),
      }
    },
  }
}

/**
 * SimpleSAMLphp's HTTP-POST page (templates/post.php) submits itself from a script (post.js
 * clicks its button), which the lab's browser does not run: it presses the button instead.
 */
async function postedOn(browser: LabBrowser, page: Page): Promise<Page> {
  const button = page.document.querySelector('#postLoginSubmitButton')
  const form = button?.closest('form')
  return form ? browser.submit(page, form) : page
}

function readLog(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n')
  } catch {
    return []
  }
}
