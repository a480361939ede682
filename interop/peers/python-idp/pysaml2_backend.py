"""pysaml2 7 as the interop lab's IdP: every SAML message is read, built, signed, encrypted and
bound by pysaml2's own Server; host.py only carries them over HTTP and keeps the sessions."""

from functools import partial
from urllib.parse import parse_qs

import saml2.entity

from saml2 import BINDING_HTTP_ARTIFACT, BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, BINDING_SOAP
from saml2.authn_context import PASSWORDPROTECTEDTRANSPORT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT
from saml2.samlp import STATUS_SUCCESS, NameIDPolicy, response_from_string
from saml2.server import Server
from saml2.sigver import (
    TRIPLE_DES_CBC,
    SecurityContext,
    pre_encryption_part,
    verify_redirect_signature,
)
from saml2.s_utils import UnknownPrincipal

from host import Answer, signed_out_page

RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
FORMATS = {"transient": NAMEID_FORMAT_TRANSIENT, "persistent": NAMEID_FORMAT_PERSISTENT}
# pysaml2 7.0 encrypts assertions with 3DES-CBC whatever EncryptionMethod the SP's metadata
# lists: the EncryptedData template and xmlsec1's session key are fixed, with no setting. Per SP
# the lab keeps that default or has pysaml2 encrypt with AES-256-CBC: the same calls, with the
# template's algorithm and the session key type swapped (algorithm URI, xmlsec1 key type).
CONTENT_ENCRYPTION = {
    "tripledes-cbc": (TRIPLE_DES_CBC, "des-192"),
    "aes256-cbc": ("http://www.w3.org/2001/04/xmlenc#aes256-cbc", "aes-256"),
}


class Backend:
    def __init__(self, lab):
        self.lab = lab
        self.base = lab.config["baseUrl"]
        self._server = None
        self._metadata_stamp = None
        self.logouts = {}  # LogoutRequest ID -> the IdP-initiated logout it belongs to

    def settings(self, sp_files=()):
        config = self.lab.config
        return {
            "entityid": self.base + "/metadata",
            "service": {
                "idp": {
                    "name": "pysaml2 interop lab IdP",
                    "endpoints": {
                        "single_sign_on_service": [
                            (self.base + "/sso", BINDING_HTTP_REDIRECT),
                            (self.base + "/sso", BINDING_HTTP_POST),
                        ],
                        "single_logout_service": [(self.base + "/slo", BINDING_HTTP_REDIRECT)],
                        "artifact_resolution_service": [(self.base + "/artifact", BINDING_SOAP)],
                    },
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT],
                    "sign_response": True,
                    "sign_assertion": True,
                    "want_authn_requests_signed": False,
                }
            },
            "key_file": config["keyFile"],
            "cert_file": config["certFile"],
            "metadata": {"local": list(sp_files)},
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "signing_algorithm": RSA_SHA256,
            "digest_algorithm": SHA256,
            "accepted_time_diff": 60,
        }

    @property
    def server(self):
        """pysaml2's Server, rebuilt when the lab hands it other SP metadata."""
        files, stamp = self.lab.sp_metadata()
        if self._server is None or stamp != self._metadata_stamp:
            config = IdPConfig().load(self.settings(files))
            server = Server(config=config)
            if self._server is not None:
                server.ident = self._server.ident
                server.artifact = self._server.artifact
            self._server, self._metadata_stamp = server, stamp
        return self._server

    def metadata(self):
        # The IdP's own metadata names no SP: it must answer before any SP is known.
        config = IdPConfig().load(self.settings())
        return create_metadata_string(None, config=config, sign=False).decode("utf-8")

    def read_authn_request(self, params, binding, raw_query):
        saml_binding = BINDING_HTTP_POST if binding == "post" else BINDING_HTTP_REDIRECT
        info = self.server.parse_authn_request(params["SAMLRequest"], saml_binding)
        return {"message": info.message, "relayState": params.get("RelayState", "")}

    def unsolicited(self, sp, relay_state):
        """IdP-initiated sign-in at this SP (saml-profiles §4.1.5): a Response that answers no
        request, to the SP's HTTP-POST AssertionConsumerService from its metadata."""
        return {"unsolicited": sp, "relayState": relay_state}

    def response_args(self, request):
        server = self.server
        if "unsolicited" in request:
            sp = request["unsolicited"]
            acs = server.metadata.assertion_consumer_service(sp, BINDING_HTTP_POST)[0]["location"]
            return {"in_response_to": None, "sp_entity_id": sp, "destination": acs, "binding": BINDING_HTTP_POST}
        message = request["message"]
        # The binding the AuthnRequest asks for (saml-core §3.4.1 ProtocolBinding), else HTTP-POST.
        wanted = message.protocol_binding
        bindings = [wanted] if wanted in (BINDING_HTTP_POST, BINDING_HTTP_ARTIFACT) else [BINDING_HTTP_POST]
        return server.response_args(message, bindings)

    def answer_authn_request(self, request, session):
        server = self.server
        args = self.response_args(request)
        sp = args["sp_entity_id"]
        settings = self.lab.sp_settings(sp)
        fmt = FORMATS[settings.get("nameIdFormat", "persistent")]
        args["name_id_policy"] = NameIDPolicy(format=fmt, allow_create="true")
        user = session["user"]
        binding = args.pop("binding")
        # pysaml2's own choice of NameID (a stored one for this SP and format, else a new one),
        # made here so that the lab knows which it sent, even inside an EncryptedAssertion.
        known = server.ident.find_nameid(user, sp_name_qualifier=sp, format=fmt)
        name_id = known[0] if known else server.ident.construct_nameid(
            user, server.config.getattr("policy", "idp"), sp, args["name_id_policy"]
        )
        algorithm, session_key = CONTENT_ENCRYPTION[settings.get("contentEncryption", "tripledes-cbc")]
        saml2.entity.pre_encryption_part = partial(pre_encryption_part, msg_enc=algorithm)
        server.sec.encrypt_assertion = partial(
            SecurityContext.encrypt_assertion, server.sec, key_type=session_key
        )
        response = server.create_authn_response(
            self.lab.users[user]["attributes"],
            userid=user,
            authn={"class_ref": PASSWORDPROTECTEDTRANSPORT, "authn_auth": self.base},
            sign_response=True,
            sign_assertion=True,
            encrypt_assertion=settings.get("encryptAssertion", False),
            encrypt_cert_assertion=None,
            # pysaml2 signs with RSA-SHA1 unless told otherwise, whatever the configuration says.
            sign_alg=RSA_SHA256,
            digest_alg=SHA256,
            name_id=name_id,
            **args,
        )
        session["sps"][sp] = {"nameId": name_id.text, "format": name_id.format}
        self.lab.log("sign-in", user=user, sp=sp, binding=binding, nameId=name_id.text, format=name_id.format)
        message_out = str(response)
        if binding == BINDING_HTTP_ARTIFACT:
            # saml-bindings §3.6: pysaml2 keeps the Response and sends the browser its artifact.
            message_out = server.use_artifact(response_from_string(message_out), 0)
        http = server.apply_binding(binding, message_out, args["destination"], request["relayState"], response=True)
        return to_answer(http)

    def resolve_artifact(self, body):
        server = self.server
        resolve = server.parse_artifact_resolve(body)
        artifact = resolve.artifact.text
        known = artifact in server.artifact
        self.lab.log("artifact-resolve", known=known, issuer=resolve.issuer.text)
        # Unsigned: signing it first would leave the Response it carries outside the signature.
        response = server.create_artifact_response(resolve, artifact, sign=False)
        del server.artifact[artifact]
        return server.use_soap(str(response), "", response=True)["data"]

    def logout_message(self, params, binding, raw_query, key, session):
        server = self.server
        saml_binding = BINDING_HTTP_POST if binding == "post" else BINDING_HTTP_REDIRECT
        if "SAMLResponse" in params:
            return self.logout_answered(params, saml_binding)
        info = server.parse_logout_request(params["SAMLRequest"], saml_binding)
        request = info.message
        sp = request.issuer.text
        signed = binding == "redirect" and any(
            verify_redirect_signature(query_params(raw_query), server.sec.sec_backend, cert=cert)
            for cert in server.metadata.certs(sp, "spsso", "signing")
        )
        name_id = request.name_id
        issued = (session or {}).get("sps", {}).get(sp)
        matches = issued is not None and issued["nameId"] == name_id.text
        self.lab.log(
            "logout-request",
            sp=sp,
            signed=bool(signed),
            nameId=name_id.text,
            nameQualifier=name_id.name_qualifier,
            spNameQualifier=name_id.sp_name_qualifier,
            matched=matches,
        )
        status = None
        if signed and matches:
            self.lab.sessions.pop(key, None)
        else:
            status = UnknownPrincipal("no session of this browser has that NameID")
        response = server.create_logout_response(request, [BINDING_HTTP_REDIRECT], status=status, sign=False)
        binding_out, destination = server.pick_binding(
            "single_logout_service", [BINDING_HTTP_REDIRECT], "spsso", entity_id=sp
        )
        http = server.apply_binding(
            binding_out, str(response), destination, params.get("RelayState", ""), response=True, sign=True, sigalg=RSA_SHA256
        )
        return to_answer(http)

    def start_logout(self, key, session):
        self.lab.sessions.pop(key, None)
        state = {"remaining": list(session["sps"].items()), "confirmed": [], "failed": []}
        return self.next_logout(state)

    def next_logout(self, state):
        server = self.server
        if not state["remaining"]:
            self.lab.log("idp-logout-done", confirmed=state["confirmed"], failed=state["failed"])
            return signed_out_page(state)
        sp, issued = state["remaining"].pop(0)
        binding, destination = server.pick_binding(
            "single_logout_service", [BINDING_HTTP_REDIRECT], "spsso", entity_id=sp
        )
        name_id = server.ident.construct_nameid(
            "", sp_name_qualifier=sp, name_id_policy=NameIDPolicy(format=issued["format"])
        )
        name_id.text = issued["nameId"]
        request_id, request = server.create_logout_request(destination, sp, name_id=name_id, sign=False)
        self.logouts[request_id] = (sp, state)
        self.lab.log("logout-sent", sp=sp, nameId=issued["nameId"])
        http = server.apply_binding(binding, str(request), destination, "", sign=True, sigalg=RSA_SHA256)
        return to_answer(http)

    def logout_answered(self, params, saml_binding):
        server = self.server
        response = server.parse_logout_request_response(params["SAMLResponse"], saml_binding)
        request_id = response.response.in_response_to
        sp, state = self.logouts.pop(request_id, (None, None))
        if state is None:
            return Answer.page("Logout", "<p>No logout is waiting for this answer.</p>", "400 Bad Request")
        ok = response.response.status.status_code.value == STATUS_SUCCESS
        (state["confirmed"] if ok else state["failed"]).append(sp)
        self.lab.log("logout-response", sp=sp, status=response.response.status.status_code.value)
        return self.next_logout(state)


def query_params(raw_query):
    return {k: v[0] for k, v in parse_qs(raw_query).items()}


def to_answer(http):
    """pysaml2's apply_binding answer as the host's: a Location header, or a page to post."""
    headers = dict(http.get("headers", []))
    if "Location" in headers:
        return Answer.redirect(headers["Location"])
    if http.get("method") == "GET" and http.get("url"):
        return Answer.redirect(http["url"])
    return Answer(headers=[("Content-Type", "text/html; charset=utf-8")], body=http["data"])
