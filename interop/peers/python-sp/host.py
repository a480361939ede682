"""A Python SAML library as a service provider on loopback, for the interop lab.

Run by Debian's /usr/bin/python3: `host.py CONFIG.json`. The HTTP side (wsgiref, sessions by
cookie, the pages) is here; every SAML step is done by the library's backend module beside this
file (pysaml2_sp, onelogin_sp, lasso_sp). Pages:

  /                       HTML: who is signed in, with their attributes (a target for people and attacks)
  /whoami                 the same as JSON: {"signedIn": bool, "nameId", "nameIdFormat", "attributes", ...}
  /login?format=F&binding=post|artifact   SP-initiated sign-in (NameIDPolicy Format F)
  /acs/post, /acs/artifact                assertion consumer services
  /logout                 SP-initiated single logout
  /slo                    LogoutResponse to our request, or an IdP's LogoutRequest
  /metadata               the SP metadata (?want=encrypted: as published when it wants encrypted assertions)
  /last-error             the last error this SP refused something with (JSON)
  /lab/signature-method?alg=rsa-sha1|rsa-sha256   what the SP signs with from now on (Lasso)
"""

import html
import importlib
import json
import secrets
import sys
import traceback
from http.cookies import SimpleCookie
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

config = json.load(open(sys.argv[1]))
sys.path.insert(0, config["here"])
backend = importlib.import_module(config["backend"]).Backend(config)

sessions = {}  # sid -> {"identity": {...}, "state": backend data}
last_error = {"error": None}


class Answer:
    def __init__(self, status="200 OK", body=b"", headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.headers = headers or []


def redirect(url, cookie=None):
    headers = [("Location", url)]
    if cookie:
        headers.append(("Set-Cookie", cookie))
    return Answer("302 Found", b"", headers)


def as_json(value, status="200 OK"):
    return Answer(status, json.dumps(value, indent=1), [("Content-Type", "application/json")])


def page(title, body_html, status="200 OK"):
    text = f"<!doctype html><html><head><title>{html.escape(title)}</title></head><body>{body_html}</body></html>"
    return Answer(status, text, [("Content-Type", "text/html; charset=utf-8")])


def post_form(url, fields):
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items()
    )
    return page(
        "Continue",
        f'<form method="post" action="{html.escape(url)}">{inputs}<noscript><button>Continue</button></noscript></form>'
        '<script>document.forms[0].submit()</script>',
    )


def to_answer(step, cookie=None):
    """A backend's outgoing message: ("redirect", url) or ("post", url, fields)."""
    if step[0] == "redirect":
        return redirect(step[1], cookie)
    answer = post_form(step[1], step[2])
    if cookie:
        answer.headers.append(("Set-Cookie", cookie))
    return answer


def new_session_cookie(identity, state):
    sid = secrets.token_urlsafe(16)
    sessions[sid] = {"identity": identity, "state": state}
    return sid, f"sid={sid}; Path=/; HttpOnly; SameSite=Lax"


def whoami(session):
    if not session:
        return {"signedIn": False}
    return {"signedIn": True, **session["identity"]}


def handle(environ):
    method = environ["REQUEST_METHOD"]
    path = environ.get("PATH_INFO", "/")
    query = environ.get("QUERY_STRING", "")
    args = {k: v[0] for k, v in parse_qs(query).items()}
    form = {}
    if method == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
    cookies = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    sid = cookies["sid"].value if "sid" in cookies else None
    session = sessions.get(sid)

    if path == "/metadata":
        metadata = backend.metadata(want_encrypted=args.get("want") == "encrypted")
        return Answer("200 OK", metadata, [("Content-Type", "application/samlmetadata+xml")])
    if path == "/whoami":
        return as_json(whoami(session))
    if path == "/last-error":
        return as_json(last_error)
    if path == "/lab/signature-method" and hasattr(backend, "set_signature_method"):
        backend.set_signature_method(args["alg"])
        return as_json({"signatureMethod": args["alg"]})
    if path == "/":
        who = whoami(session)
        if not who["signedIn"]:
            return page("Not signed in", '<p id="status">Not signed in.</p><p><a href="/login">Sign in</a></p>')
        rows = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(', '.join(v))}</td></tr>"
            for k, v in sorted(who["attributes"].items())
        )
        return page(
            "Signed in",
            f'<p id="status">Signed in as <code id="name-id">{html.escape(who["nameId"])}</code> '
            f'(<code id="name-id-format">{html.escape(who["nameIdFormat"] or "")}</code>)</p>'
            f'<table id="attributes">{rows}</table><p><a href="/logout">Sign out</a></p>',
        )
    if path == "/login":
        return to_answer(backend.login(args.get("format"), args.get("binding", "post"), args.get("relay", "/")))
    if path in ("/acs/post", "/acs/artifact"):
        identity, state = (
            backend.acs_post(form) if path == "/acs/post" else backend.acs_artifact(args or form)
        )
        _, cookie = new_session_cookie(identity, state)
        return redirect("/", cookie)
    if path == "/logout":
        if not session:
            return page("Not signed in", '<p id="status">Not signed in.</p>', "400 Bad Request")
        return to_answer(backend.logout(session["state"]))
    if path == "/slo":
        message = form or args
        if "SAMLResponse" in message:
            backend.logout_response(message, method, query)
            if sid in sessions:
                del sessions[sid]
            return page("Signed out", '<p id="status">Signed out (single logout completed).</p>')
        if "SAMLRequest" in message:
            step, name_id = backend.logout_request(message, method, query)
            for key, value in list(sessions.items()):
                if value["identity"]["nameId"] == name_id:
                    del sessions[key]
            return to_answer(step)
    return page("Not found", "<p>Not found</p>", "404 Not Found")


def app(environ, start_response):
    try:
        answer = handle(environ)
    except Exception as error:  # the lab reads what the library refused through /last-error
        last_error["error"] = f"{type(error).__name__}: {error}"[:600]
        traceback.print_exc()
        answer = page("Refused", f'<p id="error">{html.escape(last_error["error"])}</p>', "403 Forbidden")
    start_response(answer.status, answer.headers + [("Content-Length", str(len(answer.body)))])
    return [answer.body]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        sys.stderr.write("%s %s\n" % (self.command, self.path[:200]))


if __name__ == "__main__":
    server = make_server("127.0.0.1", config["port"], app, handler_class=QuietHandler)
    print(f"listening on {config['base_url']} ({config['backend']})", flush=True)
    server.serve_forever()
