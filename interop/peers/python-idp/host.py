"""The HTTP side of the interop lab's Python IdPs: a login form, browser sessions, and a JSON
window on what the IdP itself holds. The SAML side is the library's (pysaml2 or Lasso), in a
backend module named on the command line:

    /usr/bin/python3 host.py CONFIG.json pysaml2_backend|lasso_backend

CONFIG.json (written by peer.ts): port, baseUrl, keyFile, certFile, users, the folder of SP
metadata files (one per SP) and the per-SP settings file, both re-read when they change, so
the lab can change them between cells. Routes:

    GET  /metadata              the IdP metadata
    GET  /sso, POST /sso        an AuthnRequest (HTTP-Redirect or HTTP-POST)
    GET  /idp-initiated         ?sp=ENTITY&RelayState=…: an unsolicited Response to that SP
    POST /login                 the login form's answer
    POST /artifact              ArtifactResolve over SOAP
    GET  /slo, POST /slo        LogoutRequest or LogoutResponse from an SP
    GET  /logout                IdP-initiated single logout of this browser's session
    GET  /lab/whoami            this browser's IdP session, as JSON
    GET  /lab/events            what the IdP did (sign-ins, artifacts, logouts), as JSON
"""

import html
import importlib
import json
import os
import secrets
import sys
import traceback
from http.cookies import SimpleCookie
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

COOKIE = "lab_idp_session"


class Answer:
    """What a route sends back: a redirect, an auto-submitting form, a page or a SOAP body."""

    def __init__(self, status="200 OK", headers=None, body=""):
        self.status = status
        self.headers = headers or []
        self.body = body

    @staticmethod
    def redirect(url):
        return Answer("303 See Other", [("Location", url)])

    @staticmethod
    def post_form(url, fields):
        inputs = "".join(
            '<input type="hidden" name="%s" value="%s"/>' % (html.escape(k), html.escape(v))
            for k, v in fields.items()
        )
        page = (
            '<!DOCTYPE html><html><body onload="document.forms[0].submit()">'
            '<form method="post" action="%s">%s<noscript><button>Continue</button></noscript>'
            "</form></body></html>" % (html.escape(url), inputs)
        )
        return Answer(headers=[("Content-Type", "text/html; charset=utf-8")], body=page)

    @staticmethod
    def page(title, text, status="200 OK"):
        body = "<!DOCTYPE html><html><head><title>%s</title></head><body>%s</body></html>" % (
            html.escape(title),
            text,
        )
        return Answer(status, [("Content-Type", "text/html; charset=utf-8")], body)

    @staticmethod
    def json(value):
        return Answer(headers=[("Content-Type", "application/json")], body=json.dumps(value))


class Lab:
    """Users, sessions and the event log the backend and the routes share."""

    def __init__(self, config):
        self.config = config
        self.users = config["users"]
        self.sessions = {}  # cookie -> {"user": ..., "sps": {entity_id: issued NameID}}
        self.pending = {}  # login form key -> the parsed request the backend handed over
        self.events = []
        self._settings = ({}, None)

    def log(self, kind, **details):
        details["kind"] = kind
        self.events.append(details)
        print("lab idp:", json.dumps(details), flush=True)

    def sp_metadata(self):
        """The SP metadata files, and a stamp that changes when any of them does."""
        folder = self.config["spMetadataDir"]
        files = sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".xml"))
        return files, tuple((name, os.stat(name).st_mtime_ns) for name in files)

    def sp_settings(self, entity_id):
        """How this IdP answers an SP: {"nameIdFormat": ..., "encryptAssertion": ...}."""
        path = self.config["spSettingsFile"]
        stamp = os.stat(path).st_mtime_ns if os.path.exists(path) else None
        if stamp != self._settings[1]:
            with open(path, encoding="utf-8") as handle:
                self._settings = (json.load(handle), stamp)
        return self._settings[0].get(entity_id, {})

    def session_of(self, environ):
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        key = cookie[COOKIE].value if COOKIE in cookie else None
        return key, self.sessions.get(key) if key else None

    def start_session(self, user):
        key = secrets.token_urlsafe(24)
        self.sessions[key] = {"user": user, "sps": {}}
        return key, self.sessions[key]


def login_page(key, error=""):
    return Answer.page(
        "Sign in",
        '<h1>Sign in</h1>%s<form method="post" action="/login" id="login-form">'
        '<input type="hidden" name="request" value="%s"/>'
        '<label>User <input name="username"/></label>'
        '<label>Password <input name="password" type="password"/></label>'
        '<button type="submit">Sign in</button></form>'
        % ('<p id="error">%s</p>' % html.escape(error) if error else "", html.escape(key)),
    )


def signed_out_page(state):
    """The end of an IdP-initiated logout: the SPs that confirmed it and those that did not."""
    items = lambda sps: "".join("<li>%s</li>" % html.escape(sp) for sp in sps)
    return Answer.page(
        "Signed out",
        '<p id="status">You are signed out</p><ul id="confirmed">%s</ul><ul id="failed">%s</ul>'
        % (items(state["confirmed"]), items(state["failed"])),
    )


def read_params(environ):
    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    if environ["REQUEST_METHOD"] == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length).decode("utf-8")
        if "xml" in environ.get("CONTENT_TYPE", ""):
            return query, body
        query.update({k: v[0] for k, v in parse_qs(body).items()})
        return query, body
    return query, ""


def route(lab, backend, environ):
    method = environ["REQUEST_METHOD"]
    path = environ.get("PATH_INFO", "/")
    params, body = read_params(environ)
    binding = "post" if method == "POST" else "redirect"
    key, session = lab.session_of(environ)
    if path == "/metadata":
        return Answer(headers=[("Content-Type", "application/samlmetadata+xml")], body=backend.metadata())
    if path == "/sso":
        request = backend.read_authn_request(params, binding, environ.get("QUERY_STRING", ""))
        if session:
            return backend.answer_authn_request(request, session)
        form_key = secrets.token_urlsafe(16)
        lab.pending[form_key] = request
        return login_page(form_key)
    if path == "/idp-initiated":
        # IdP-initiated sign-in: ?sp=<entity ID>&RelayState=<where the SP should land>.
        request = backend.unsolicited(params["sp"], params.get("RelayState", ""))
        if session:
            return backend.answer_authn_request(request, session)
        form_key = secrets.token_urlsafe(16)
        lab.pending[form_key] = request
        return login_page(form_key)
    if path == "/login" and method == "POST":
        request = lab.pending.get(params.get("request", ""))
        user = lab.users.get(params.get("username", ""))
        if request is None:
            return Answer.page("Sign in", "<p>No sign-in is waiting.</p>", "400 Bad Request")
        if user is None or user["password"] != params.get("password"):
            return login_page(params.get("request", ""), "wrong user or password")
        del lab.pending[params["request"]]
        cookie, session = lab.start_session(params["username"])
        answer = backend.answer_authn_request(request, session)
        answer.headers.append(("Set-Cookie", "%s=%s; Path=/; HttpOnly; SameSite=Lax" % (COOKIE, cookie)))
        return answer
    if path == "/artifact" and method == "POST":
        return Answer(headers=[("Content-Type", "text/xml; charset=utf-8")], body=backend.resolve_artifact(body))
    if path == "/slo":
        return backend.logout_message(params, binding, environ.get("QUERY_STRING", ""), key, session)
    if path == "/logout":
        if not session:
            return Answer.page("Signed out", '<p id="status">No session here</p>')
        return backend.start_logout(key, session)
    if path == "/lab/whoami":
        return Answer.json({"signedIn": session is not None, **(session or {})})
    if path == "/lab/events":
        return Answer.json(lab.events)
    return Answer.page("Not found", "<p>no such page</p>", "404 Not Found")


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        print("lab idp: %s %s" % (self.command, self.path.split("?")[0]), flush=True)


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        config = json.load(handle)
    lab = Lab(config)
    backend = importlib.import_module(sys.argv[2]).Backend(lab)

    def app(environ, start_response):
        try:
            answer = route(lab, backend, environ)
        except Exception as error:  # the lab reads the log; the browser gets a 500 page
            traceback.print_exc()
            answer = Answer.page("Error", "<pre>%s</pre>" % html.escape(repr(error)), "500 Internal Server Error")
        body = answer.body.encode("utf-8")
        start_response(answer.status, answer.headers + [("Content-Length", str(len(body)))])
        return [body]

    server = make_server("127.0.0.1", config["port"], app, handler_class=QuietHandler)
    print("lab idp: listening on %d" % config["port"], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
