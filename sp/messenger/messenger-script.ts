/**
 * The chat window's script, inlined into the page. It adds to the plain links and forms, never
 * replaces them: the launcher opens the window in place; while a conversation window is open,
 * it asks `api/state` every 2 s and shows new messages (an agent's reply), or reloads the
 * window when its state changed (the conversation ended, a sign-in request came, the identity
 * changed); a popup sign-in link opens a popup, whose last page (popup-done) posts
 * `ssoproof:signed-in` back here; while a silent sign-in is still to try (`data-silent`), the
 * launcher follows its link so the server can try it. `window.ssoproofMessenger` is the site's
 * JavaScript API (Comm100's `set('livechat.sso.artifact', …)`): `set(name, value)` hands a JWT
 * (`livechat.sso.jwt`) or a SAML artifact (`livechat.sso.artifact`) to this campaign's JWT
 * callback or ACS, where it is checked as any other, and resolves to whether the SP accepted it;
 * `open()` opens the window. `ssoproof:messenger-ready` on `document` says the API is there. It reads what it needs from `#chat-window`'s data
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
  // Opening may first try a silent sign-in at the server: then the launcher follows its link.
  const silentFirst = () => win.hidden && win.dataset.silent === '1'
  launcher.addEventListener('click', (event) => {
    if (silentFirst()) return
    event.preventDefault()
    toggle(win.hidden)
  })
  launcher.addEventListener('keydown', (event) => {
    if (event.key !== ' ') return
    event.preventDefault()
    if (silentFirst()) location.assign(launcher.href)
    else toggle(win.hidden)
  })
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !win.hidden) toggle(false)
  })
  if (!win.hidden) show(true)
  const openPopup = (link) => {
    link.addEventListener('click', (event) => {
      const popup = window.open(link.href, 'ssoproof-sign-in', 'popup,width=520,height=680')
      if (popup) event.preventDefault()
    })
  }
  for (const link of document.querySelectorAll('a[data-popup]')) openPopup(link)
  // The IdP's login inside the panel. The IdP's login page says it could be shown (a message
  // from the frame); the SP's own pages are readable. A frame that loaded neither was refused
  // (the IdP's frame-ancestors / X-Frame-Options): the panel offers the sign-in in a popup.
  const showFramedSignIn = (link) => {
    const panel = document.createElement('div')
    panel.id = 'sign-in-panel'
    const frame = document.createElement('iframe')
    frame.id = 'sign-in-frame'
    frame.title = 'Sign in'
    const fallback = document.createElement('p')
    fallback.id = 'sign-in-fallback'
    fallback.hidden = true
    fallback.setAttribute('role', 'alert')
    fallback.append('Your sign-in page cannot be shown inside the chat. ')
    const popupLink = document.createElement('a')
    popupLink.id = 'sign-in-popup'
    popupLink.className = 'button'
    popupLink.href = link.dataset.frame
    popupLink.target = '_blank'
    popupLink.rel = 'noopener'
    popupLink.textContent = 'Sign in in a new window'
    openPopup(popupLink)
    fallback.append(popupLink)
    const back = document.createElement('button')
    back.type = 'button'
    back.className = 'secondary'
    back.textContent = 'Back to the chat'
    const hidden = [...win.children].filter((child) => child.id !== 'chat-title' && !child.hidden)
    back.addEventListener('click', () => {
      panel.remove()
      for (const child of hidden) child.hidden = false
    })
    panel.append(frame, fallback, back)
    for (const child of hidden) child.hidden = true
    let shown = false
    let timer
    const refused = () => {
      frame.hidden = true
      fallback.hidden = false
      popupLink.focus()
    }
    window.addEventListener('message', (event) => {
      if (event.source !== frame.contentWindow || event.data !== 'ssoproof:idp-page-shown') return
      shown = true
      clearTimeout(timer)
      frame.hidden = false
      fallback.hidden = true
    })
    frame.addEventListener('load', () => {
      clearTimeout(timer)
      let ownPage = false
      try {
        ownPage = frame.contentDocument !== null
      } catch {}
      if (shown || ownPage) {
        shown = false
        return
      }
      timer = setTimeout(refused, 1500)
    })
    frame.src = link.dataset.frame
    win.append(panel)
  }
  for (const link of document.querySelectorAll('a[data-frame]')) {
    link.addEventListener('click', (event) => {
      event.preventDefault()
      showFramedSignIn(link)
    })
  }
  window.addEventListener('message', (event) => {
    if (event.origin === location.origin && event.data === 'ssoproof:signed-in') reopen('?open=1')
  })
  // The JavaScript API for the site's own page (README, "The messenger's JavaScript API").
  const prefix = base.slice(0, base.length - '/messenger'.length)
  const handOvers = {
    'livechat.sso.jwt': { path: '/jwt/callback', field: 'token', back: 'return_url' },
    'livechat.sso.artifact': { path: '/saml/acs', field: 'SAMLart', back: 'RelayState' },
  }
  window.ssoproofMessenger = Object.freeze({
    async set(name, value) {
      const handOver = Object.hasOwn(handOvers, name) ? handOvers[name] : undefined
      if (!handOver || typeof value !== 'string' || value === '') return false
      const body = new URLSearchParams({ [handOver.field]: value, [handOver.back]: base + '?open=1' })
      let accepted = false
      try {
        const answer = await fetch(prefix + handOver.path, { method: 'POST', body, credentials: 'same-origin' })
        accepted = answer.ok
      } catch {}
      if (accepted) reopen('?open=1')
      return accepted
    },
    open() {
      if (win.hidden) launcher.click()
    },
  })
  document.dispatchEvent(new Event('ssoproof:messenger-ready'))
})()
`
