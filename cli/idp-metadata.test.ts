import { describe, expect, it } from 'vitest'
import { readIdpMetadata } from './idp-metadata.ts'

/** A fetch that records each URL and answers from `answers` by URL (else 404). */
function recordingFetch(answers: Record<string, Response>) {
  const reached: string[] = []
  const fetchImpl: typeof fetch = async (input) => {
    const url = String(input)
    reached.push(url)
    return answers[url] ?? new Response('no', { status: 404 })
  }
  return { reached, fetchImpl }
}

describe('reading an IdP metadata URL (sp --saml-metadata, a campaign idpMetadata)', () => {
  it('reaches the host the person named, even a private one', async () => {
    const { reached, fetchImpl } = recordingFetch({})
    await expect(
      readIdpMetadata('http://10.0.0.5/md', fetchImpl, '--saml-metadata'),
    ).rejects.toThrow(/--saml-metadata: http:\/\/10\.0\.0\.5\/md answered HTTP 404/)
    expect(reached).toEqual(['http://10.0.0.5/md'])
  })

  it('follows no redirect to a link-local or private host it was not allowed (catalogue case 36)', async () => {
    for (const target of ['http://169.254.169.254/latest/meta-data', 'http://192.168.0.1/md']) {
      const { reached, fetchImpl } = recordingFetch({
        'http://127.0.0.1:22050/md': new Response(null, {
          status: 302,
          headers: { location: target },
        }),
      })
      await expect(
        readIdpMetadata('http://127.0.0.1:22050/md', fetchImpl, 'campaign c: idpMetadata'),
      ).rejects.toThrow(/campaign c: idpMetadata: cannot fetch .*OUTBOUND_HOST_NOT_ALLOWED/)
      expect(reached).toEqual(['http://127.0.0.1:22050/md'])
    }
    const { reached, fetchImpl } = recordingFetch({
      'http://127.0.0.1:22050/md': new Response(null, {
        status: 302,
        headers: { location: 'http://192.168.0.1/md' },
      }),
    })
    await expect(
      readIdpMetadata('http://127.0.0.1:22050/md', fetchImpl, '--saml-metadata', [
        '192.168.0.0/16',
      ]),
    ).rejects.toThrow(/answered HTTP 404/)
    expect(reached).toEqual(['http://127.0.0.1:22050/md', 'http://192.168.0.1/md'])
  })
})
