import { resolve } from 'node:path'
import { writeAttackReports } from './attack/write.ts'
import { attackCells } from './cells/attack.ts'
import { installPackages } from './lab/install.ts'
import { LabUsageError, labUsage, parseLabArgs } from './lab/options.ts'
import { peersFor, runLab, selectCells } from './lab/runner.ts'
import { cellId } from './lab/types.ts'
import { writeLabReports } from './lab/write-reports.ts'
import { writeReadmeMatrix } from './readme-matrix.ts'
import { registry } from './registry.ts'

/**
 * `npm run interop`: installs what the selected cells need (apt-get, as root), starts the peers
 * on loopback, runs the cells, writes reports/out/interop/, and exits 0 only when every cell
 * passed (1 when one failed, 2 for a usage error or packages that cannot be installed).
 */
async function main(args: string[]): Promise<number> {
  const command = parseLabArgs(args)
  if (command.help) {
    process.stdout.write(`${labUsage}\n`)
    return 0
  }
  const cells = selectCells(registry, command)
  const peers = peersFor(cells)
  if (command.list) {
    for (const peer of registry.peers) {
      process.stdout.write(
        `peer ${peer.id}: ${peer.title} [${peer.packages.join(' ') || 'built in'}]\n`,
      )
    }
    for (const cell of cells) process.stdout.write(`cell ${cellId(cell)}: ${cell.title}\n`)
    return 0
  }
  if (cells.length === 0) throw new LabUsageError('no cell matches --peer/--cell (see --list)')
  const log = (line: string) => process.stderr.write(`${line}\n`)
  const install = installPackages(
    peers.flatMap((peer) => peer.packages),
    log,
  )
  if (!install.ok) {
    log(`interop: ${install.message}`)
    return 2
  }
  log(`interop: ${cells.length} cells over ${peers.map((peer) => peer.id).join(', ')}`)
  const run = await runLab(registry, command, log)
  const outDir = resolve(command.outDir)
  writeLabReports(run.report, outDir)
  const { passed, failed } = run.report.summary
  log(`interop: reports in ${outDir} (index.html, matrix.md, junit.xml, interop.json)`)
  try {
    writeAttackReports(run.report, outDir, { command, attackCells }, log)
  } catch (error) {
    log(`interop: the attack table was not written: ${(error as Error).message}`)
  }
  if (command.writeReadme) writeReadmeMatrix(run.report, command, log)
  if (command.keepRunning) {
    log('interop: --keep-running: the peers stay up until Ctrl-C; run folder and logs in')
    log(`  ${run.env.runDir}`)
    await new Promise(() => {})
  }
  await run.stop()
  process.stdout.write(`interop: ${passed} passed, ${failed} failed\n`)
  return failed === 0 ? 0 : 1
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    if (error instanceof LabUsageError) {
      process.stderr.write(`interop: ${error.message}\n${labUsage}\n`)
      process.exitCode = 2
      return
    }
    process.stderr.write(
      `interop: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`,
    )
    process.exitCode = 1
  },
)
