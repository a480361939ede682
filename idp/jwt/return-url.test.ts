import { describe, expect, it } from 'vitest'
import { SsoError } from '../../core/errors/index.ts'
import { createJwtSpRegistry } from './registration.ts'
import { acceptReturnUrl, appendQuery, isUnder, returnUrlChecks } from './return-url.ts'

const registry = createJwtSpRegistry([
  { id: 'community', returnUrls: ['https://community.example/auth/token/return'] },
  { id: 'chat', returnUrls: ['https://chat.example/'] },
])

function codeOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    if (error instanceof SsoError) return error.code
    throw error
  }
  return undefined
}

describe('acceptReturnUrl', () => {
  it('runs its checks in this order, each refusing with JWT_RETURN_URL_REJECTED', () => {
    expect(returnUrlChecks.map(([check]) => check)).toEqual([
      'return_url',
      'token',
      'registered return URL',
    ])
    expect(codeOf(() => acceptReturnUrl('/relative', registry))).toBe('JWT_RETURN_URL_REJECTED')
    expect(codeOf(() => acceptReturnUrl('https://chat.example/?token=x', registry))).toBe(
      'JWT_RETURN_URL_REJECTED',
    )
    expect(codeOf(() => acceptReturnUrl('https://chat.example/x', registry, 'community'))).toBe(
      'JWT_RETURN_URL_REJECTED',
    )
  })

  it('finds the SP whose registered return URL covers the return_url', () => {
    expect(
      acceptReturnUrl('https://community.example/auth/token/return?to=/t/1', registry).sp.id,
    ).toBe('community')
    expect(acceptReturnUrl('https://chat.example/any/path', registry).sp.id).toBe('chat')
    expect(acceptReturnUrl('https://chat.example/x', registry, 'chat').url.href).toBe(
      'https://chat.example/x',
    )
  })

  it('prefers the most specific registration, whatever the order they were registered in', () => {
    const nested = createJwtSpRegistry([
      { id: 'root', returnUrls: ['https://sp.example/'] },
      { id: 'shop', returnUrls: ['https://sp.example/c/shop/'] },
    ])
    expect(acceptReturnUrl('https://sp.example/c/shop/jwt/callback', nested).sp.id).toBe('shop')
    expect(acceptReturnUrl('https://sp.example/c/shopping/x', nested).sp.id).toBe('root')
    expect(acceptReturnUrl('https://sp.example/jwt/callback', nested).sp.id).toBe('root')
  })

  it.each([
    ['https://community.example/auth/token/returned'],
    ['https://community.example/auth/other'],
    ['https://community.example.evil.example/auth/token/return'],
    ['http://community.example/auth/token/return'],
    ['https://community.example:8443/auth/token/return'],
    ['https://community.example/auth/token/return?token=x'],
    ['https://a:b@chat.example/'],
    ['data:text/html,hi'],
    ['/relative'],
    [''],
    [`https://chat.example/${'a'.repeat(2100)}`],
  ])('refuses %s', (value) => {
    expect(codeOf(() => acceptReturnUrl(value, registry))).toBe('JWT_RETURN_URL_REJECTED')
  })

  it('refuses a return_url of one SP when another SP is named', () => {
    expect(codeOf(() => acceptReturnUrl('https://chat.example/x', registry, 'community'))).toBe(
      'JWT_RETURN_URL_REJECTED',
    )
    expect(codeOf(() => acceptReturnUrl('https://chat.example/x', registry, 'nobody'))).toBe(
      'JWT_RETURN_URL_REJECTED',
    )
  })

  it('normalises dot segments before matching', () => {
    expect(
      codeOf(() =>
        acceptReturnUrl('https://community.example/auth/token/return/../../../evil', registry),
      ),
    ).toBe('JWT_RETURN_URL_REJECTED')
    expect(isUnder(new URL('https://chat.example/a/../b'), 'https://chat.example/b')).toBe(true)
  })
})

describe('appendQuery', () => {
  it('keeps the existing query as it was and the fragment last', () => {
    expect(appendQuery(new URL('https://sp.example/cb'), { token: 'a.b.c' })).toBe(
      'https://sp.example/cb?token=a.b.c',
    )
    expect(appendQuery(new URL('https://sp.example/cb?x=a%20b&y'), { token: 't' })).toBe(
      'https://sp.example/cb?x=a%20b&y&token=t',
    )
    expect(appendQuery(new URL('https://sp.example/cb?'), { token: 't' })).toBe(
      'https://sp.example/cb?token=t',
    )
    expect(appendQuery(new URL('https://sp.example/cb?x=1#top'), { error: 'access_denied' })).toBe(
      'https://sp.example/cb?x=1&error=access_denied#top',
    )
  })
})

describe('JWT SP registration', () => {
  it('needs a secret of 32 bytes or more for HS256 and return URLs without query', () => {
    expect(
      codeOf(() =>
        registry.register({ id: 'x', returnUrls: ['https://x.example/'], algorithm: 'HS256' }),
      ),
    ).toBe('CONFIG_INVALID')
    expect(
      codeOf(() =>
        registry.register({
          id: 'x',
          returnUrls: ['https://x.example/'],
          algorithm: 'HS256',
          secret: 'short',
        }),
      ),
    ).toBe('CONFIG_INVALID')
    expect(
      codeOf(() => registry.register({ id: 'x', returnUrls: ['https://x.example/?a=1'] })),
    ).toBe('CONFIG_INVALID')
    expect(codeOf(() => registry.register({ id: 'x', returnUrls: ['javascript:alert(1)'] }))).toBe(
      'CONFIG_INVALID',
    )
    expect(registry.register({ id: 'x', returnUrls: ['https://x.example/'] })).toMatchObject({
      algorithm: 'RS256',
      tokenLifetimeSeconds: 300,
    })
  })
})
