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

  it('answers an unknown route with NOT_FOUND (404)', async () => {
    const app = createApp('SP', () => {})
    const page = await app.request('/nowhere')
    expect(page.status).toBe(404)
    expect(await page.text()).toContain('id="error-code">NOT_FOUND<')
  })
})
