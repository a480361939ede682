/** The report's whole stylesheet, inlined so the file stands alone. */
export const styles = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6472; --line: #e3e6eb; --bg: #f4f5f7;
  --pass: #1a7f37; --pass-bg: #e6f4ea; --fail: #c62828; --fail-bg: #fdecea; --skip: #6e7781;
  --warn-bg: #fff4d6; --accent: #27406b; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); line-height: 1.45; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .75rem; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
pre { margin: .25rem 0; padding: .6rem .75rem; background: #f6f8fa; border: 1px solid var(--line);
  border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 28rem; overflow: auto; }
.meta { color: var(--muted); margin: 0; }
.verdict { display: inline-block; font-weight: 600; padding: .15rem .6rem; border-radius: 1rem; font-size: .9rem; }
.verdict-passed { background: var(--pass-bg); color: var(--pass); }
.verdict-failed, .verdict-empty { background: var(--fail-bg); color: var(--fail); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr)); gap: .75rem; margin: 1.25rem 0 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; margin: 0; }
.card dt { color: var(--muted); font-size: .8rem; }
.card dd { margin: 0; font-size: 1.05rem; font-weight: 600; overflow-wrap: anywhere; }
.card.count dd { font-size: 1.6rem; }
.card.passed dd { color: var(--pass); }
.card.failed dd { color: var(--fail); }
.run-options { margin: .75rem 0 0; color: var(--muted); font-size: .9rem; }
#filters { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: .5rem 1rem;
  align-items: end; background: var(--bg); padding: .75rem 0; border-bottom: 1px solid var(--line); }
#filters[hidden], .scenario[hidden], #no-match[hidden] { display: none; }
#filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
#filters select, #filters input { font: inherit; font-size: .9rem; padding: .3rem .4rem; border: 1px solid #c9ced6;
  border-radius: 6px; background: #fff; color: var(--ink); min-width: 8rem; }
#filters input { min-width: 16rem; }
.shown { margin-left: auto; color: var(--muted); font-size: .9rem; }
.scenario { background: #fff; border: 1px solid var(--line); border-left: 4px solid var(--pass);
  border-radius: 8px; margin: .6rem 0; }
.scenario.failed { border-left-color: var(--fail); }
.scenario > summary { list-style: none; cursor: pointer; padding: .6rem .9rem; display: flex; flex-wrap: wrap; gap: .35rem .6rem; align-items: baseline; }
.scenario > summary::-webkit-details-marker { display: none; }
.scenario > summary::before { content: '▸'; color: var(--muted); width: .8rem; }
.scenario[open] > summary::before { content: '▾'; }
.scenario > summary .title { color: var(--muted); flex: 1 1 18rem; }
.scenario-body { padding: 0 .9rem .9rem 2.8rem; }
.mark { font-weight: 700; width: 1.1rem; display: inline-block; text-align: center; }
.mark-passed { color: var(--pass); }
.mark-failed { color: var(--fail); }
.mark-not-run { color: var(--skip); }
.chip { display: inline-block; font-size: .75rem; padding: .05rem .45rem; border-radius: 1rem; background: #e7ecf5; color: var(--accent); }
.chip.tag { background: #eef0f3; color: var(--muted); }
.chip.severity-bypass { background: #fbe3e4; color: var(--fail); font-weight: 600; }
.chip.severity-hardening { background: #fdf1d8; color: #7a5200; }
.attack-facts .takeover { color: var(--fail); font-weight: 600; }
.duration { color: var(--muted); font-size: .85rem; }
.facts { color: var(--muted); font-size: .88rem; margin: .25rem 0 .75rem; }
.facts a { color: var(--accent); }
.headline { color: var(--fail); font-weight: 600; margin: .25rem 0 .75rem; overflow-wrap: anywhere; }
.steps { list-style: none; padding: 0; margin: 0; }
.step { padding: .3rem 0; border-top: 1px solid var(--line); }
.step:first-child { border-top: 0; }
.step-line { display: flex; gap: .5rem; align-items: baseline; }
.step-line .text { flex: 1; }
.step.not-run .text { color: var(--skip); }
.step.failed > .step-line .text { font-weight: 600; }
.step-detail { margin: .35rem 0 .35rem 1.6rem; }
.message { color: var(--fail); margin: .2rem 0 .5rem; overflow-wrap: anywhere; }
.compare { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem; }
.compare h4 { margin: 0; font-size: .8rem; color: var(--muted); font-weight: 600; }
.compare .expected pre { border-color: #b7dfc2; background: #f3fbf5; }
.compare .actual pre { border-color: #f3b9b4; background: #fff6f5; }
.trace > summary, .decoded > summary { cursor: pointer; color: var(--accent); font-size: .9rem; }
.exchanges { list-style: none; padding: 0; margin: .35rem 0; }
.exchange { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .6rem; margin: .35rem 0; }
.request { display: flex; flex-wrap: wrap; gap: .2rem .6rem; align-items: baseline; }
.request .url { overflow-wrap: anywhere; flex: 1 1 20rem; }
.method { font-weight: 700; }
.http-status { font-weight: 700; }
.http-2xx { color: var(--pass); }
.http-3xx { color: var(--accent); }
.http-4xx, .http-5xx { color: var(--fail); }
.party { text-transform: uppercase; font-size: .72rem; letter-spacing: .04em; }
.location { font-size: .85rem; color: var(--muted); overflow-wrap: anywhere; }
.decoded { margin: .3rem 0 0; }
figure { margin: .5rem 0; }
figure img { max-width: 100%; border: 1px solid var(--line); border-radius: 6px; }
figcaption { color: var(--muted); font-size: .8rem; }
#no-match { color: var(--muted); padding: 1rem 0; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; font-size: .9rem; }
th { font-size: .8rem; color: var(--muted); font-weight: 600; }
tr.rule-uncovered td { background: var(--warn-bg); }
tr.rule-failing td { background: var(--fail-bg); }
tr.rule-one-sided td { background: var(--warn-bg); }
tr.case-uncovered td { background: var(--warn-bg); }
tr.case-failing td { background: var(--fail-bg); }
.rule-status { font-weight: 600; }
.rule-status.covered { color: var(--pass); }
.rule-status.failing { color: var(--fail); }
.rule-status.uncovered { color: #8a5a00; }
.rule-status.one-sided { color: #8a5a00; }
.mutation.survived { color: var(--fail); }
td a { color: var(--accent); margin-right: .5rem; }
.file-group > h3 { font-size: .95rem; margin: 1.2rem 0 .3rem; display: flex; flex-wrap: wrap; gap: .5rem; align-items: baseline; }
.file-group[hidden] { display: none; }
.file-counts { font-weight: 400; color: var(--muted); font-size: .85rem; }
.failed-count { color: var(--fail); font-weight: 600; }
.rerun { font-size: .88rem; margin: .25rem 0 .75rem; overflow-wrap: anywhere; }
@media (max-width: 640px) { table { display: block; overflow-x: auto; } .compare { grid-template-columns: 1fr; } }
.none { color: #8a5a00; font-style: italic; }
@media (max-width: 40rem) { .compare { grid-template-columns: 1fr; } .scenario-body { padding-left: .9rem; } }
`
