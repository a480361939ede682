import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Delivery } from './browser.ts'

/** The files of one accepted forgery and the command that sends it again. */
export interface ReplayKit {
  /** Paths of the files written, relative to the out folder (`forged/<case>.xml`…). */
  files: string[]
  /** A curl command line that sends the same message to the same URL. */
  command: string
}

/**
 * Writes what the browser delivered for an accepted forgery into `<outDir>/forged/`, so the
 * finding can go into the SP team's ticket as it is: a SAML Response as `<case>.xml` (decoded)
 * and `<case>.b64` (as posted), a token as `<case>.jwt`, and in every case the curl line that
 * reproduces the delivery (`<case>.curl.sh`). The command reads the files by absolute path.
 * These files hold a working forged sign-in for the SP attacked: they are the point of the kit,
 * and they stay in the out folder.
 */
export async function writeReplayKit(
  outDir: string,
  caseId: string,
  delivery: Delivery,
): Promise<ReplayKit> {
  const folder = join(outDir, 'forged')
  await mkdir(folder, { recursive: true })
  const name = caseId.replace(/[^A-Za-z0-9._-]/g, '_')
  const files: string[] = []
  const write = async (extension: string, content: string) => {
    await writeFile(join(folder, `${name}${extension}`), content)
    files.push(`forged/${name}${extension}`)
  }
  const form = delivery.form ?? {}
  const dataArgs: string[] = []
  for (const [field, value] of Object.entries(form)) {
    if (field === 'SAMLResponse') {
      await write('.b64', value)
      await write('.xml', Buffer.from(value, 'base64').toString('utf8'))
      dataArgs.push(`--data-urlencode ${quote(`SAMLResponse@${join(folder, `${name}.b64`)}`)}`)
    } else {
      if (field === 'id_token' || field === 'token') await write('.jwt', value)
      dataArgs.push(`--data-urlencode ${quote(`${field}=${value}`)}`)
    }
  }
  const token = tokenInUrl(delivery.url)
  if (token) await write('.jwt', token)
  const command =
    delivery.method === 'POST'
      ? `curl -si -X POST ${dataArgs.join(' ')} ${quote(delivery.url)}`
      : `curl -si ${quote(delivery.url)}`
  await write('.curl.sh', `#!/bin/sh\n# ssoproof attack: ${caseId}, as delivered\n${command}\n`)
  return { files, command }
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
