// CI's summary line: `N passed, N failed` over npm test's vitest report, the package step's and the
// interop lab's (.ci/run passes the three paths). Exits non-zero when npm test's report is missing or
// no test ran. A file of its own: inside a quoted `node -e` string one apostrophe in a comment broke it.
const { readFileSync } = require('node:fs')
let report
try {
  report = JSON.parse(readFileSync(process.argv[2], 'utf8'))
} catch {
  console.log('0 passed, 1 failed')
  process.exit(1)
}
// The package step's report counts as npm test's does; a missing one is one failure.
let packageReport
try {
  packageReport = JSON.parse(readFileSync(process.argv[3], 'utf8'))
} catch {
  packageReport = { numFailedTests: 1 }
}
let passed = 0
let failed = 0
for (const vitest of [report, packageReport]) {
  passed += vitest.numPassedTests ?? 0
  // A test file that fails to load has no test results of its own: count it as one failure.
  const brokenFiles = (vitest.testResults ?? []).filter(
    (file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0,
  ).length
  failed += (vitest.numFailedTests ?? 0) + brokenFiles
}
// The interop lab: each cell counts; a lab that wrote no report counts as one failure.
try {
  const lab = JSON.parse(readFileSync(process.argv[4], 'utf8')).summary
  passed += lab.passed
  failed += lab.failed
} catch {
  failed += 1
}
console.log(`${passed} passed, ${failed} failed`)
if (passed + failed === 0) process.exit(1)
