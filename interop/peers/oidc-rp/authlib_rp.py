"""authlib 1.2 as a relying party of ssoproof's provider, on the routes rp-server.ts documents.

Run with Debian's python (python3-authlib, python3-requests): /usr/bin/python3 authlib_rp.py config.json
authlib does the protocol (authorization URL with PKCE, state check, token request with the
profile's client authentication, ID token signature and claims, refresh); this file keeps the
browser's pending sign-in and tokens and reports, as JSON, what authlib accepted.
"""

import base64
import json
import secrets
import sys
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, JsonWebToken
from authlib.oidc.core import CodeIDToken

with open(sys.argv[1], encoding="utf-8") as config_file:
    CONFIG = json.load(config_file)
PROVIDER = requests.get(
    CONFIG["issuer"] + "/.well-known/openid-configuration", timeout=10
).json()
BROWSERS = {}


def session_for(name, **extra):
    profile = CONFIG["profiles"][name]
    return OAuth2Session(
        profile["clientId"],
        profile.get("clientSecret"),
        scope="openid profile email offline_access",
        redirect_uri=CONFIG["baseUrl"] + "/" + name + "/callback",
        code_challenge_method="S256",
        token_endpoint_auth_method=profile["auth"],
        **extra,
    )


def validated_id_token(name, token, nonce):
    """The ID token's claims, once authlib checked signature, iss, aud, exp, iat and nonce."""
    profile = CONFIG["profiles"][name]
    keys = JsonWebKey.import_key_set(requests.get(PROVIDER["jwks_uri"], timeout=10).json())
    params = {"client_id": profile["clientId"], "access_token": token["access_token"]}
    if nonce is not None:
        params["nonce"] = nonce
    claims = JsonWebToken([profile["idTokenAlg"]]).decode(
        token["id_token"],
        keys,
        claims_cls=CodeIDToken,
        claims_options={"iss": {"values": [PROVIDER["issuer"]]}},
        claims_params=params,
    )
    claims.validate()
    return dict(claims)


def report(name, step, token, claims, userinfo=None):
    header = token["id_token"].split(".")[0]
    header += "=" * (-len(header) % 4)
    answer = {
        "library": "authlib",
        "profile": name,
        "step": step,
        "idToken": {"alg": json.loads(base64.urlsafe_b64decode(header))["alg"], "claims": claims},
        "refreshToken": "refresh_token" in token,
    }
    if userinfo is not None:
        answer["userinfo"] = userinfo
    return answer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        try:
            self.route()
        except Exception as error:  # the library's refusal is the cell's observation
            self.send_json(400, {"error": type(error).__name__ + ": " + str(error)})

    def route(self):
        url = urlsplit(self.path)
        if url.path == "/health":
            return self.send_json(200, {"library": "authlib"})
        parts = url.path.split("/")
        name, action = (parts + ["", "", ""])[1:3]
        if name not in CONFIG["profiles"]:
            return self.send_json(404, {"error": "no profile " + name})
        cookie = SimpleCookie(self.headers.get("Cookie", "")).get("rp")
        self.browser_id = cookie.value if cookie and cookie.value in BROWSERS else secrets.token_urlsafe(24)
        browser = BROWSERS.setdefault(self.browser_id, {})
        if action == "login":
            state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
            browser["pending"] = {"profile": name, "state": state, "nonce": nonce, "verifier": verifier}
            uri, _ = session_for(name).create_authorization_url(
                PROVIDER["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
            )
            return self.send_redirect(uri)
        if action == "callback":
            pending = browser.pop("pending", None)
            if not pending or pending["profile"] != name:
                raise ValueError("no sign-in pending for this browser")
            session = session_for(name, state=pending["state"])
            token = session.fetch_token(
                PROVIDER["token_endpoint"],
                authorization_response=CONFIG["baseUrl"] + self.path,
                code_verifier=pending["verifier"],
            )
            claims = validated_id_token(name, token, pending["nonce"])
            userinfo = session.get(PROVIDER["userinfo_endpoint"]).json()
            if userinfo.get("sub") != claims["sub"]:
                raise ValueError("userinfo sub differs from the ID token's")
            browser["tokens"] = {"profile": name, "token": dict(token), "claims": claims}
            return self.send_json(200, report(name, "callback", token, claims, userinfo))
        if action == "refresh":
            held = browser.get("tokens")
            if not held or held["profile"] != name or "refresh_token" not in held["token"]:
                raise ValueError("no refresh token for this browser")
            token = session_for(name).refresh_token(
                PROVIDER["token_endpoint"], refresh_token=held["token"]["refresh_token"]
            )
            claims = validated_id_token(name, token, None)
            browser["tokens"] = {"profile": name, "token": dict(token), "claims": claims}
            return self.send_json(200, report(name, "refresh", token, claims))
        return self.send_json(404, {"error": "no action " + action})

    def send_redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_cookie()
        self.end_headers()

    def send_json(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_cookie()
        self.end_headers()
        self.wfile.write(data)

    def send_cookie(self):
        if getattr(self, "browser_id", None):
            self.send_header("Set-Cookie", "rp=" + self.browser_id + "; Path=/; HttpOnly; SameSite=Lax")


ThreadingHTTPServer(("127.0.0.1", CONFIG["port"]), Handler).serve_forever()
