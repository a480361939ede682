import type { ContactCard } from '../messenger/contact-card.ts'
import { fieldLabel } from './field-labels.ts'

/**
 * Who the agent talks to, next to the name: the external ID and a verified badge for a
 * signed-in visitor (Comm100: "the visitor's external ID next to the name"); a guest is just a
 * name. `id` puts stable ids on the parts for a page with one conversation; lists use classes.
 */
export function ContactName(props: { card: ContactCard; ids?: boolean }) {
  const { card, ids } = props
  return (
    <>
      <span class="contact-name" id={ids ? 'contact-name' : undefined}>
        {card.name}
      </span>
      {card.externalId !== null ? (
        <>
          {' '}
          <code class="external-id" id={ids ? 'external-id' : undefined}>
            {card.externalId}
          </code>
        </>
      ) : null}
      {card.verified ? (
        <>
          {' '}
          <span class="badge verified" id={ids ? 'verified' : undefined} title="Signed in with SSO">
            verified
          </span>
        </>
      ) : (
        <>
          {' '}
          <span class="badge guest">guest</span>
        </>
      )}
    </>
  )
}

/**
 * The mapped contact fields, one `tr[data-field]` each with its friendly label. A signed-in
 * visitor's field the IdP did not send is marked "not sent" (`data-sent="0"`: the agent sees what
 * the mapping expected); a guest's card holds only what the survey asked and they answered.
 */
export function ContactTable(props: { card: ContactCard }) {
  const { card } = props
  const rows = card.verified ? card.fields : card.fields.filter(({ value }) => value !== '')
  return (
    <table id="contact">
      <tbody>
        {rows.map(({ field, value }) => {
          const { label, kind } = fieldLabel(field)
          return (
            <tr data-field={field} data-sent={value === '' ? '0' : '1'}>
              <th scope="row" title={field}>
                {label}
                {kind ? <small class="muted"> {kind}</small> : null}
              </th>
              <td>{value === '' ? <em class="muted not-sent">not sent</em> : value}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

/** An instant on the SP's clock, as the console prints it. */
export function Instant(props: { ms: number; class?: string }) {
  const iso = new Date(props.ms).toISOString()
  return (
    <time class={props.class} datetime={iso}>
      {iso.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC')}
    </time>
  )
}
