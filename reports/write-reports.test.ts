import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runReportSchema } from './model.ts'
import { samplePng, sampleReport, screenshotPath } from './test-support.ts'
import { writeReports } from './write-reports.ts'

let base: string

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'ssoproof-reports-'))
})

afterEach(async () => {
  await rm(base, { recursive: true, force: true })
})

describe('writeReports', () => {
  it('creates the out folder and writes each chosen report and the screenshots', async () => {
    const outDir = join(base, 'nested', 'out')
    const png = samplePng()
    const written = await writeReports(sampleReport(), {
      outDir,
      reporters: ['junit', 'json', 'html', 'markdown'],
      screenshots: { [screenshotPath]: png },
    })
    expect(written).toEqual([
      join(outDir, 'junit.xml'),
      join(outDir, 'report.json'),
      join(outDir, 'report.html'),
      join(outDir, 'summary.md'),
      join(outDir, screenshotPath),
    ])
    expect((await readdir(outDir)).sort()).toEqual([
      'junit.xml',
      'report.html',
      'report.json',
      'screenshots',
      'summary.md',
    ])
    expect(await readFile(join(outDir, screenshotPath))).toEqual(Buffer.from(png))
    const json = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8'))
    expect(runReportSchema.parse(json)).toEqual(sampleReport())
    const html = await readFile(join(outDir, 'report.html'), 'utf8')
    expect(html).toContain(`data:image/png;base64,${Buffer.from(png).toString('base64')}`)
    expect(await readFile(join(outDir, 'junit.xml'), 'utf8')).toMatch(/^<\?xml/)
    expect(await readFile(join(outDir, 'summary.md'), 'utf8')).toMatch(/^## ❌ ssoproof/)
  })

  it('writes only the reporters asked for, once each', async () => {
    const written = await writeReports(sampleReport(), {
      outDir: base,
      reporters: ['markdown', 'junit', 'markdown'],
    })
    expect(written).toEqual([join(base, 'summary.md'), join(base, 'junit.xml')])
    expect((await readdir(base)).sort()).toEqual(['junit.xml', 'summary.md'])
  })

  it('refuses a screenshot path outside the out folder and writes nothing', async () => {
    const outDir = join(base, 'out')
    for (const path of ['../escape.png', '/tmp/absolute.png', 'screenshots/../../x.png']) {
      await expect(
        writeReports(sampleReport(), {
          outDir,
          reporters: ['json'],
          screenshots: { [path]: samplePng() },
        }),
      ).rejects.toThrow(`screenshot path "${path}" must be a file path inside the out folder`)
    }
    expect(await readdir(base)).toEqual([])
  })

  it('refuses an unknown reporter name', async () => {
    await expect(
      writeReports(sampleReport(), {
        outDir: base,
        reporters: ['junit', 'pdf' as 'junit'],
      }),
    ).rejects.toThrow('unknown reporter "pdf"; expected one of junit, json, html, markdown')
  })
})
