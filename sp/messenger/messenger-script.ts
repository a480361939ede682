/**
 * The chat window's script, inlined into the page. It adds to the plain links and forms, never
 * replaces them: the launcher opens the window in place; while a conversation window is open,
 * it asks `api/state` every 2 s and shows new messages (an agent's reply), or reloads the
 * window when its state changed (the conversation ended, a sign-in request came, the identity
 * changed); a popup sign-in link opens a popup, whose last page (popup-done) posts
 * `ssoproof:signed-in` back here. It reads what it needs from `#chat-window`'s data
 * attributes: no server value is written into the script. The launcher says whether the window
 * is open (`aria-expanded`), Esc closes the window and gives the focus back to the launcher, and
 * new messages are appended to the `aria-live` list, so a screen reader reads each reply once.
 */
export const messengerScript = `(() => {
  const win = document.getElementById('chat-window')
  const launcher = document.getElementById('launcher')
  if (!win || !launcher) return
  const { base, state, conversationId, signedIn, signInRequested } = win.dataset
  const reopen = (query) => location.replace(base + query)
  let timer
  const render = (view) => {
    const id = view.conversation ? String(view.conversation.id) : ''
    const requested = view.conversation && view.conversation.signInRequested ? '1' : '0'
    const changed = id !== conversationId || view.state !== state ||
      (view.signedIn ? '1' : '0') !== signedIn || requested !== signInRequested
    const ended = conversationId && id !== conversationId
    if (changed) return reopen(ended ? '?open=1&ended=1' : '?open=1')
    const list = document.getElementById('messages')
    const messages = view.conversation ? view.conversation.messages : []
    if (!list || list.children.length >= messages.length) return
    for (const message of messages.slice(list.children.length)) {
      const item = document.createElement('li')
      item.className = 'message'
      item.dataset.author = message.author
      item.dataset.kind = message.kind
      item.textContent = message.body
      list.append(item)
    }
    list.lastElementChild.scrollIntoView({ block: 'nearest' })
  }
  const poll = async () => {
    try {
      const headers = { accept: 'application/json' }
      const response = await fetch(base + '/api/state', { headers })
      if (response.ok) render(await response.json())
    } catch {}
  }
  const show = (open) => {
    win.hidden = !open
    launcher.setAttribute('aria-expanded', open ? 'true' : 'false')
    clearInterval(timer)
    if (open && state === 'conversation') timer = setInterval(poll, 2000)
  }
  const toggle = (open) => {
    show(open)
    history.replaceState(null, '', open ? base + '?open=1' : base)
    if (open) document.getElementById('chat-title').focus()
    else launcher.focus()
  }
  launcher.setAttribute('role', 'button')
  launcher.addEventListener('click', (event) => {
    event.preventDefault()
    toggle(win.hidden)
  })
  launcher.addEventListener('keydown', (event) => {
    if (event.key !== ' ') return
    event.preventDefault()
    toggle(win.hidden)
  })
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !win.hidden) toggle(false)
  })
  if (!win.hidden) show(true)
  for (const link of document.querySelectorAll('a[data-popup]')) {
    link.addEventListener('click', (event) => {
      const popup = window.open(link.href, 'ssoproof-sign-in', 'popup,width=520,height=680')
      if (popup) event.preventDefault()
    })
  }
  window.addEventListener('message', (event) => {
    if (event.origin === location.origin && event.data === 'ssoproof:signed-in') reopen('?open=1')
  })
})()
`
