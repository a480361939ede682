// Ends the processes a CI run left behind: any process whose command line names this checkout or
// the package test's scratch folders, apart from this script's own ancestors (the CI run itself).
// A leftover daemon that still holds CI's output open would keep the run from ending.
// Prints what it ended, one line each; exits 0 either way.
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'

const checkout = resolve(import.meta.dirname, '..')
const marks = [`${checkout}/`, 'ssoproof-package-']

function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return 0
  }
}

const ancestors = new Set()
for (let pid = process.pid; pid > 1; pid = parentOf(pid)) ancestors.add(pid)

const leftovers = []
for (const entry of readdirSync('/proc')) {
  const pid = Number(entry)
  if (!Number.isInteger(pid) || ancestors.has(pid)) continue
  let args
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
  } catch {
    continue
  }
  if (args && marks.some((mark) => args.includes(mark))) leftovers.push({ pid, args })
}
for (const { pid, args } of leftovers) {
  try {
    process.kill(pid, 'SIGKILL')
    console.error(`ci: ended a leftover process ${pid}: ${args.slice(0, 200)}`)
  } catch {}
}
