/**
 * The report's only script: the status, protocol, tag and text filters, and opening a scenario a
 * link points at. Without it the page shows everything and the filter bar stays hidden.
 */
export const filterScript = `
(() => {
  const form = document.getElementById('filters')
  const shown = document.getElementById('count-shown')
  const noMatch = document.getElementById('no-match')
  const scenarios = Array.from(document.querySelectorAll('.scenario'))
  const groups = Array.from(document.querySelectorAll('.file-group'))
  const value = (id) => document.getElementById(id).value

  function apply() {
    const status = value('filter-status')
    const protocol = value('filter-protocol')
    const tag = value('filter-tag')
    const words = value('filter-text').toLowerCase().split(/\\s+/).filter(Boolean)
    let count = 0
    for (const scenario of scenarios) {
      const data = scenario.dataset
      const visible =
        (status === 'all' || data.status === status) &&
        (protocol === '' || data.protocol === protocol) &&
        (tag === '' || JSON.parse(data.tags).includes(tag)) &&
        words.every((word) => data.search.includes(word))
      scenario.hidden = !visible
      if (visible) count += 1
    }
    for (const group of groups) group.hidden = !group.querySelector('.scenario:not([hidden])')
    shown.textContent = String(count)
    noMatch.hidden = count > 0
  }

  function openTarget() {
    const id = decodeURIComponent(location.hash.slice(1))
    const target = id && document.getElementById(id)
    if (!(target instanceof HTMLDetailsElement)) return
    const wasHidden = target.hidden || target.parentElement.hidden
    if (wasHidden) {
      form.reset()
      apply()
    }
    target.open = true
    if (wasHidden) target.scrollIntoView()
  }

  form.addEventListener('input', apply)
  form.addEventListener('reset', () => setTimeout(apply))
  form.addEventListener('submit', (event) => event.preventDefault())
  window.addEventListener('hashchange', openTarget)
  form.hidden = false
  apply()
  openTarget()
})()
`
