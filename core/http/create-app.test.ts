import { describe, expect, it } from 'vitest'
import { createApp } from './create-app.ts'

describe('createApp: one error handler for both apps', () => {
  it('answers an unexpected failure with INTERNAL (500), its message neither shown nor logged', async () => {
    const log: string[] = []
    const app = createApp('IdP', (line) => log.push(line))
    app.get('/boom', () => {
      throw new Error('token=abc.def.ghi leaked')
    })
    const page = await app.request('/boom')
    expect(page.status).toBe(500)
    const html = await page.text()
    expect(html).toContain('id="error-code">INTERNAL<')
    expect(html).not.toContain('leaked')
    const json = await app.request('/boom', { headers: { accept: 'application/json' } })
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('INTERNAL')
    expect(log).toEqual(['IdP GET /boom INTERNAL Error', 'IdP GET /boom INTERNAL Error'])
  })

  it('names the machine code of an unexpected error in its log line, never its message', async () => {
    const log: string[] = []
    const app = createApp('SP', (line) => log.push(line))
    app.post('/acs', () => {
      throw Object.assign(new Error('database is locked: secret'), {
        name: 'SqliteError',
        code: 'SQLITE_BUSY_SNAPSHOT',
      })
    })
    app.post('/odd', () => {
      throw Object.assign(new Error('x'), { code: 'not a code <script>' })
    })
    expect((await app.request('/acs', { method: 'POST' })).status).toBe(500)
    expect((await app.request('/odd', { method: 'POST' })).status).toBe(500)
    expect(log).toEqual([
      'SP POST /acs INTERNAL SqliteError SQLITE_BUSY_SNAPSHOT',
      'SP POST /odd INTERNAL Error',
    ])
  })

  it('answers an unknown route with NOT_FOUND (404)', async () => {
    const app = createApp('SP', () => {})
    const page = await app.request('/nowhere')
    expect(page.status).toBe(404)
    expect(await page.text()).toContain('id="error-code">NOT_FOUND<')
  })
})
