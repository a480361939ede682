import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { frameAncestorsOption, type RunningServe, startServe } from './serve.ts'
import { UsageError } from './usage.ts'

describe('ssoproof serve --frame-ancestors', () => {
  const running: RunningServe[] = []
  const folders: string[] = []
  afterAll(async () => {
    for (const serve of running) await serve.close()
    for (const folder of folders) await rm(folder, { recursive: true, force: true })
  })

  async function serveWith(frameAncestors: string[] | undefined) {
    const dataDir = await mkdtemp(join(tmpdir(), 'ssoproof-frames-'))
    folders.push(dataDir)
    const serve = await startServe({
      idpPort: 0,
      spPort: 0,
      host: '127.0.0.1',
      dataDir,
      frameAncestors,
      log: () => {},
    })
    running.push(serve)
    return serve
  }

  const frameHeaders = async (url: string) => {
    const answer = await fetch(`${url}/saml/metadata`, { signal: AbortSignal.timeout(30_000) })
    await answer.body?.cancel()
    return [answer.headers.get('content-security-policy'), answer.headers.get('x-frame-options')]
  }

  it('reads none, self, sp and origins, and refuses anything else with a usage error', () => {
    expect(frameAncestorsOption(undefined)).toBeUndefined()
    expect(frameAncestorsOption('none')).toEqual([])
    expect(frameAncestorsOption("self, sp,'self' https://partner.example/")).toEqual([
      "'self'",
      'sp',
      "'self'",
      'https://partner.example',
    ])
    for (const bad of ['*', 'javascript:alert(1)', 'partner.example', "https://a.example'"]) {
      expect(() => frameAncestorsOption(bad), bad).toThrow(UsageError)
    }
  })

  it("sends the IdP's frame policy: none, the SP's own origin, or no header by default", async () => {
    const [refusing, spOnly, open] = await Promise.all([
      serveWith([]),
      serveWith(frameAncestorsOption('self,sp')),
      serveWith(undefined),
    ])
    await expect(frameHeaders(refusing.idpUrl)).resolves.toEqual(["frame-ancestors 'none'", 'DENY'])
    await expect(frameHeaders(spOnly.idpUrl)).resolves.toEqual([
      `frame-ancestors 'self' ${spOnly.spUrl}`,
      null,
    ])
    await expect(frameHeaders(open.idpUrl)).resolves.toEqual([null, null])
  }, 120_000)
})
