/**
 * A test that drives Chromium through several pages takes 10 s on an idle 2-core machine and
 * several times that at load 20; the 30 s default would fail on a busy machine, not on a defect.
 * Waits inside the tests end as soon as the page is ready, so a large budget costs nothing.
 */
export const browserBudget = { timeout: 300_000 }
