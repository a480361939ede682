import { writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { makeFolder, makeNamedFolder } from '../core/store/make-folder.ts'
import { renderHtml } from './html.tsx'
import { renderJson } from './json.ts'
import { renderJunit } from './junit.ts'
import { renderMarkdown } from './markdown.ts'
import { type ReporterName, type RunReport, reporterFiles } from './model.ts'

export interface WriteReportsOptions {
  /** Created when missing. */
  outDir: string
  reporters: ReporterName[]
  /** PNG bytes by the `screenshot` path of a step, relative to `outDir` (`screenshots/…`). */
  screenshots?: Record<string, Uint8Array>
}

type Renderer = (report: RunReport, screenshots: Record<string, Uint8Array>) => string

const renderers: Record<ReporterName, Renderer> = {
  junit: renderJunit,
  json: renderJson,
  html: (report, screenshots) => renderHtml(report, { screenshots }),
  markdown: renderMarkdown,
}

/**
 * Writes the chosen reports into `outDir` under their `reporterFiles` names, and the screenshots
 * at their own paths beside them. Returns every path written: reports in the order asked, then
 * screenshots. A screenshot path that would land outside `outDir` is refused before anything is
 * written.
 */
export async function writeReports(
  report: RunReport,
  options: WriteReportsOptions,
): Promise<string[]> {
  const screenshots = options.screenshots ?? {}
  const screenshotTargets = Object.entries(screenshots).map(
    ([path, bytes]) => [screenshotTarget(options.outDir, path), bytes] as const,
  )
  const reporters = [...new Set(options.reporters)]
  for (const name of reporters) {
    if (!Object.hasOwn(renderers, name)) {
      throw new Error(
        `unknown reporter "${name}"; expected one of ${Object.keys(renderers).join(', ')}`,
      )
    }
  }

  makeNamedFolder(options.outDir, 'the report folder', 0o777)
  const written: string[] = []
  for (const name of reporters) {
    const path = join(options.outDir, reporterFiles[name])
    await writeFile(path, renderers[name](report, screenshots))
    written.push(path)
  }
  for (const [path, bytes] of screenshotTargets) {
    makeFolder(dirname(path), 0o777)
    await writeFile(path, bytes)
    written.push(path)
  }
  return written
}

function screenshotTarget(outDir: string, path: string): string {
  const target = join(outDir, path)
  const inside = relative(resolve(outDir), resolve(target))
  const escapes = inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)
  if (isAbsolute(path) || inside === '' || escapes) {
    throw new Error(`screenshot path "${path}" must be a file path inside the out folder`)
  }
  return target
}
