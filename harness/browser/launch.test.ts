import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, resolveChromiumPath } from './launch.ts'

const page = `<!doctype html>
<title>launch check</title>
<p id="status">waiting</p>
<button type="button" onclick="document.getElementById('status').textContent = 'clicked'">Go</button>`

let server: Server
let origin: string
let browser: Browser

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end(page)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => server?.close(resolve))
})

describe('launchChromium', () => {
  it('opens a page, clicks a button and sees the page change', async () => {
    const context = await browser.newContext()
    const tab = await context.newPage()
    await tab.goto(origin)
    expect(await tab.locator('#status').textContent()).toBe('waiting')
    await tab.getByRole('button', { name: 'Go' }).click()
    expect(await tab.locator('#status').textContent()).toBe('clicked')
    await context.close()
  })
})

describe('resolveChromiumPath', () => {
  it('honours SSOPROOF_CHROMIUM and refuses a path that is not executable', () => {
    expect(resolveChromiumPath({ SSOPROOF_CHROMIUM: process.execPath })).toBe(process.execPath)
    expect(() => resolveChromiumPath({ SSOPROOF_CHROMIUM: '/nonexistent/chromium' })).toThrow(
      /SSOPROOF_CHROMIUM is set to \/nonexistent\/chromium/,
    )
  })
})
