import { formatDuration } from '../duration.ts'
import { failureOf, tracedStepAt } from '../failure.ts'
import type { ScenarioResult, StepResult } from '../model.ts'
import { stepMarks } from '../step-marks.ts'
import { Trace } from './trace.tsx'

export interface ScenarioProps {
  result: ScenarioResult
  /** The element id of this block, `result-N`. */
  anchor: string
  /** Anchors of the rule rows, by rule id. */
  ruleAnchors: Map<string, string>
  screenshots: Record<string, Uint8Array>
  /** The packed number of a step's trace when it is out of the page (deferred-traces.tsx). */
  deferredTrace: (stepIndex: number) => number | undefined
  /** The command that runs this result again (shown when it failed). */
  rerun: string
}

/**
 * One scenario × protocol as a collapsible block, open when it failed. Its data attributes feed
 * the filter script: status, protocol, tags (a JSON array) and the lower-cased text to search.
 */
export function Scenario(props: ScenarioProps) {
  const { result } = props
  const failure = failureOf(result)
  const openTraceAt = failure && tracedStepAt(result, failure.step)?.index
  return (
    <details
      class={`scenario ${result.status}`}
      id={props.anchor}
      open={result.status === 'failed'}
      data-result-id={result.id}
      data-status={result.status}
      data-protocol={result.protocol}
      data-tags={JSON.stringify(result.tags)}
      data-search={searchText(result)}
    >
      <summary>
        <span class={`mark mark-${result.status}`}>{stepMarks[result.status]}</span>
        <b class="result-id">{result.id}</b>
        <span class="title">{result.title}</span>
        <span class="chip protocol">{result.protocol}</span>
        {result.attack && (
          <span class={`chip severity severity-${result.attack.severity}`}>
            {result.attack.severity}
          </span>
        )}
        {result.tags.map((tag) => (
          <span class="chip tag">{tag}</span>
        ))}
        <span class="duration">{formatDuration(result.durationMs)}</span>
      </summary>
      <div class="scenario-body">
        <p class="facts">
          <code>{result.file}</code> · scenario <code>{result.scenarioId}</code> · {result.driver}{' '}
          driver · rules{' '}
          {result.rules.length === 0
            ? 'none'
            : result.rules.map((rule, position) => (
                <>
                  {position > 0 && ', '}
                  <RuleLink rule={rule} anchors={props.ruleAnchors} />
                </>
              ))}
        </p>
        {failure && (
          <p class="headline">
            Failed at step {failure.step}: {failure.text}
          </p>
        )}
        {result.status === 'failed' && (
          <p class="rerun">
            Run it again: <code>{props.rerun}</code>
          </p>
        )}
        {result.attack && <AttackFacts attack={result.attack} />}
        <ol class="steps">
          {result.steps.map((step) => (
            <Step
              step={step}
              traceOpen={step.index === openTraceAt}
              deferredTrace={props.deferredTrace(step.index)}
              message={step.message ?? (failure?.step === step.index ? failure.message : undefined)}
              screenshot={step.screenshot ? props.screenshots[step.screenshot] : undefined}
            />
          ))}
        </ol>
      </div>
    </details>
  )
}

/** What `ssoproof attack` saw: who the SP showed, the request answered, the replay kit. */
function AttackFacts(props: { attack: NonNullable<ScenarioResult['attack']> }) {
  const { attack } = props
  return (
    <ul class="attack-facts">
      <li>
        Severity: <b>{attack.severity}</b>
      </li>
      {attack.identity && (
        <li class={attack.takeover ? 'takeover' : undefined}>
          {attack.takeover ? 'Takeover: ' : 'Signed in: '}
          {attack.identity}
        </li>
      )}
      {attack.answered && <li>InResponseTo: {attack.answered}</li>}
      {attack.replay && (
        <li>
          Replay kit: {attack.replay.files.join(', ')} · <code>{attack.replay.command}</code>
        </li>
      )}
    </ul>
  )
}

function RuleLink(props: { rule: string; anchors: Map<string, string> }) {
  const anchor = props.anchors.get(props.rule)
  return anchor ? <a href={`#${anchor}`}>{props.rule}</a> : <code>{props.rule}</code>
}

function Step(props: {
  step: StepResult
  /** Open this step's trace: the one that tells why the scenario failed. */
  traceOpen: boolean
  deferredTrace: number | undefined
  /** The step's message; on the failing step, the result's failure message when it has none. */
  message: string | undefined
  screenshot: Uint8Array | undefined
}) {
  const { step, message } = props
  const hasDetail =
    message !== undefined ||
    step.expected !== undefined ||
    step.actual !== undefined ||
    step.trace.length > 0 ||
    step.screenshot !== undefined
  return (
    <li class={`step ${step.status}`} data-step={String(step.index)}>
      <div class="step-line">
        <span class={`mark mark-${step.status}`}>{stepMarks[step.status]}</span>
        <span class="text">
          {step.index}. {step.text}
        </span>
        <span class="chip tag">{step.kind}</span>
        <span class="duration">
          {step.status === 'not-run' ? 'not run' : formatDuration(step.durationMs)}
        </span>
      </div>
      {hasDetail && (
        <div class="step-detail">
          {message !== undefined && <p class="message">{message}</p>}
          {(step.expected !== undefined || step.actual !== undefined) && (
            <div class="compare">
              <div class="expected">
                <h4>expected</h4>
                <pre>{step.expected ?? '(not stated)'}</pre>
              </div>
              <div class="actual">
                <h4>actual</h4>
                <pre>{step.actual ?? '(not recorded)'}</pre>
              </div>
            </div>
          )}
          <Trace trace={step.trace} open={props.traceOpen} deferred={props.deferredTrace} />
          {step.screenshot !== undefined && (
            <Screenshot path={step.screenshot} bytes={props.screenshot} step={step} />
          )}
        </div>
      )}
    </li>
  )
}

/**
 * Embedded as a data URL when the bytes were handed over; otherwise a link to the file beside the
 * report, but only for a plain relative path, so a report can never carry a `javascript:` link.
 */
function Screenshot(props: { path: string; bytes: Uint8Array | undefined; step: StepResult }) {
  const alt = `Screenshot at step ${props.step.index}: ${props.step.text}`
  if (!props.bytes) {
    return (
      <p class="screenshot">
        Screenshot:{' '}
        {relativePath.test(props.path) ? (
          <a href={props.path}>{props.path}</a>
        ) : (
          <code>{props.path}</code>
        )}
      </p>
    )
  }
  const src = `data:image/png;base64,${Buffer.from(props.bytes).toString('base64')}`
  return (
    <figure class="screenshot">
      <img src={src} alt={alt} />
      <figcaption>{props.path}</figcaption>
    </figure>
  )
}

const relativePath = /^(?!.*\.\.)[\w][\w./-]*$/

function searchText(result: ScenarioResult): string {
  const parts = [
    result.id,
    result.title,
    result.file,
    result.protocol,
    ...result.tags,
    ...result.rules,
    ...result.steps.flatMap((step) => [step.text, step.message ?? '']),
  ]
  return parts.join(' ').toLowerCase()
}
