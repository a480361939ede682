import { describe, expect, it } from 'vitest'
import { SsoError } from '../../errors/index.ts'
import { addressKind } from './address-ranges.ts'
import { createFetchPolicy, type HostLookup } from './fetch-policy.ts'
import { policedFetch } from './policed-fetch.ts'

const dns: Record<string, string[]> = {
  'idp.example': ['93.184.216.34'],
  'metadata.internal': ['169.254.169.254'],
  'split.example': ['93.184.216.34', '10.0.0.7'],
  'corp.example': ['10.1.2.3'],
  'v6-only.example': ['fd12::1'],
}
const lookup: HostLookup = async (host) => {
  const found = dns[host]
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
  return found
}

async function refusal(check: Promise<void>): Promise<string | undefined> {
  try {
    await check
    return undefined
  } catch (error) {
    return error instanceof SsoError ? error.code : 'other'
  }
}

describe('outbound fetch policy', () => {
  const policy = createFetchPolicy({ lookup })

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://2852039166/',
    'http://0xa9.0xfe.0xa9.0xfe/',
    'http://[fe80::1]/',
    'http://10.0.0.1:8080/',
    'http://0x0a000001/',
    'http://172.16.5.4/',
    'http://192.168.1.1/',
    'http://[fd00::1]/',
    'http://0.0.0.0:7000/',
    'http://0/',
    'http://[::]/',
    'http://100.64.0.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://[2002:a9fe:a9fe::1]/',
    'http://metadata.internal/computeMetadata/v1/',
    'http://split.example/',
    'http://v6-only.example/',
    'file:///etc/passwd',
    'gopher://127.0.0.1:25/',
  ])('refuses %s with OUTBOUND_HOST_NOT_ALLOWED', async (url) => {
    expect(await refusal(policy.check(url))).toBe('OUTBOUND_HOST_NOT_ALLOWED')
  })

  it.each([
    'http://127.0.0.1:7100/saml/metadata',
    'http://127.8.9.10/',
    'http://2130706433/',
    'http://[::1]:7100/',
    'http://[::ffff:127.0.0.1]/',
    'https://idp.example/metadata',
    'https://93.184.216.34/',
  ])('allows %s (loopback and public)', async (url) => {
    expect(await refusal(policy.check(url))).toBeUndefined()
  })

  it('lets the allow-list name hosts, addresses and ranges', async () => {
    const listed = createFetchPolicy({
      lookup,
      allowHosts: ['Corp.Example', '169.254.169.254', '192.168.0.0/16', 'fd12::/16'],
    })
    for (const url of [
      'http://corp.example/',
      'http://169.254.169.254/',
      'http://192.168.44.1/',
      'http://v6-only.example/',
    ]) {
      expect(await refusal(listed.check(url)), url).toBeUndefined()
    }
    expect(await refusal(listed.check('http://169.254.169.253/'))).toBe('OUTBOUND_HOST_NOT_ALLOWED')
    expect(await refusal(listed.check('http://10.0.0.1/'))).toBe('OUTBOUND_HOST_NOT_ALLOWED')
  })

  it('a host name that does not resolve is a plain failure, not a refusal', async () => {
    expect(await refusal(policy.check('http://nowhere.example/'))).toBe('other')
  })

  it('names the kind of special addresses', () => {
    expect(addressKind('[::ffff:10.0.0.1]')).toBe('private')
    expect(addressKind('::1')).toBe('loopback')
    expect(addressKind('8.8.8.8')).toBe('public')
    expect(addressKind('localhost')).toBeUndefined()
  })
})

describe('policed fetch', () => {
  const policy = createFetchPolicy({ lookup })
  const server: typeof fetch = async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (url.pathname === '/to-metadata') {
      return new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/' } })
    }
    if (url.pathname === '/hop') {
      return new Response(null, { status: 301, headers: { location: '/done' } })
    }
    if (url.pathname === '/loop') {
      return new Response(null, { status: 302, headers: { location: '/loop' } })
    }
    return new Response(`reached ${url.host}${url.pathname}`)
  }

  it('checks every redirect hop and never reaches a refused host', async () => {
    const reached: string[] = []
    const spy: typeof fetch = (input, init) => {
      reached.push(input instanceof Request ? input.url : String(input))
      return server(input, init)
    }
    const fetchIt = policedFetch(spy, policy)
    expect(await refusal(fetchIt('http://127.0.0.1:7100/to-metadata').then(() => {}))).toBe(
      'OUTBOUND_HOST_NOT_ALLOWED',
    )
    expect(reached).toEqual(['http://127.0.0.1:7100/to-metadata'])
    expect(await (await fetchIt('http://127.0.0.1:7100/hop')).text()).toBe(
      'reached 127.0.0.1:7100/done',
    )
  })

  it('stops after a few redirects, and hands a POST its redirect as it came', async () => {
    const fetchIt = policedFetch(server, policy)
    expect((await fetchIt('http://127.0.0.1:7100/loop')).status).toBe(302)
    const posted = await fetchIt('http://127.0.0.1:7100/to-metadata', { method: 'POST', body: 'x' })
    expect(posted.status).toBe(302)
  })
})
