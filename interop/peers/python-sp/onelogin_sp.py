"""python3-saml 1.12 (onelogin.saml2) as the lab's SP, strict, every want*Signed."""

import base64
import re

from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.constants import OneLogin_Saml2_Constants as C
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from onelogin.saml2.settings import OneLogin_Saml2_Settings

FORMATS = {
    "persistent": C.NAMEID_PERSISTENT,
    "transient": C.NAMEID_TRANSIENT,
    "emailAddress": C.NAMEID_EMAIL_ADDRESS,
}


def pem_body(path):
    return "".join(line for line in open(path).read().splitlines() if "-----" not in line)


class Backend:
    def __init__(self, config):
        self.base = config["base_url"]
        self.port = config["port"]
        idp = OneLogin_Saml2_IdPMetadataParser.parse(open(config["idp_metadata_file"]).read())
        self.idp_settings = idp["idp"]
        self.sp_cert = pem_body(config["cert_file"])
        self.sp_key = open(config["key_file"]).read()
        self.outstanding = set()
        self.pending_logout = None

    def settings(self, name_id_format=None, want_encrypted=False):
        return {
            "strict": True,
            "debug": False,
            "sp": {
                "entityId": f"{self.base}/metadata",
                "assertionConsumerService": {"url": f"{self.base}/acs/post", "binding": C.BINDING_HTTP_POST},
                "singleLogoutService": {"url": f"{self.base}/slo", "binding": C.BINDING_HTTP_REDIRECT},
                "NameIDFormat": FORMATS.get(name_id_format, C.NAMEID_UNSPECIFIED),
                "x509cert": self.sp_cert,
                "privateKey": self.sp_key,
            },
            "idp": self.idp_settings,
            "security": {
                "authnRequestsSigned": True,
                "logoutRequestSigned": True,
                "logoutResponseSigned": True,
                "wantMessagesSigned": True,
                "wantAssertionsSigned": True,
                "wantNameId": True,
                "wantAttributeStatement": True,
                "requestedAuthnContext": False,
                "signatureAlgorithm": C.RSA_SHA256,
                "digestAlgorithm": C.SHA256,
                "rejectDeprecatedAlgorithm": True,
                "wantAssertionsEncrypted": want_encrypted,
            },
        }

    def auth(self, path, get_data=None, post_data=None, name_id_format=None):
        request = {
            "https": "off",
            "http_host": "127.0.0.1",
            "server_port": str(self.port),
            "script_name": path,
            "get_data": get_data or {},
            "post_data": post_data or {},
        }
        return OneLogin_Saml2_Auth(request, self.settings(name_id_format))

    def metadata(self, want_encrypted=False):
        settings = self.settings(want_encrypted=want_encrypted)
        return OneLogin_Saml2_Settings(settings, sp_validation_only=True).get_sp_metadata()

    def login(self, name_id_format, binding, relay):
        if binding != "post":
            raise ValueError("python3-saml has no HTTP-Artifact binding")
        auth = self.auth("/login", name_id_format=name_id_format)
        url = auth.login(return_to=relay)
        self.outstanding.add(auth.get_last_request_id())
        return ("redirect", url)

    def acs_post(self, form):
        received = base64.b64decode(form["SAMLResponse"])
        in_response_to = re.search(rb'InResponseTo="([^"]+)"', received)
        request_id = in_response_to.group(1).decode() if in_response_to else None
        if request_id not in self.outstanding:
            raise ValueError("the Response answers no request of this SP")
        auth = self.auth("/acs/post", post_data=form)
        auth.process_response(request_id=request_id)
        if auth.get_errors() or not auth.is_authenticated():
            raise ValueError(f"python3-saml refused the Response: {auth.get_errors()} {auth.get_last_error_reason()}")
        self.outstanding.discard(request_id)
        identity = {
            "nameId": auth.get_nameid(),
            "nameIdFormat": auth.get_nameid_format(),
            "nameQualifier": auth.get_nameid_nq(),
            "spNameQualifier": auth.get_nameid_spnq(),
            "attributes": auth.get_attributes(),
            "sessionIndex": auth.get_session_index(),
            "issuer": self.idp_settings["entityId"],
            "encryptedAssertion": b"EncryptedAssertion" in received,
        }
        return identity, identity

    def acs_artifact(self, query):
        raise ValueError("python3-saml has no HTTP-Artifact binding")

    def logout(self, state):
        auth = self.auth("/logout")
        url = auth.logout(
            return_to="/",
            name_id=state["nameId"],
            session_index=state["sessionIndex"],
            nq=state["nameQualifier"],
            name_id_format=state["nameIdFormat"],
            spnq=state["spNameQualifier"],
        )
        self.pending_logout = auth.get_last_request_id()
        return ("redirect", url)

    def logout_response(self, message, method, query):
        auth = self.auth("/slo", get_data=message)
        auth.process_slo(keep_local_session=True, request_id=self.pending_logout)
        if auth.get_errors():
            raise ValueError(f"python3-saml refused the LogoutResponse: {auth.get_errors()} {auth.get_last_error_reason()}")

    def logout_request(self, message, method, query):
        auth = self.auth("/slo", get_data=message)
        url = auth.process_slo(keep_local_session=True)
        if auth.get_errors():
            raise ValueError(f"python3-saml refused the LogoutRequest: {auth.get_errors()} {auth.get_last_error_reason()}")
        request = auth.get_last_request_xml()
        name_id = re.search(r"<(?:\w+:)?NameID\b[^>]*>([^<]*)<", request.decode() if isinstance(request, bytes) else request)
        return ("redirect", url), name_id.group(1) if name_id else None
