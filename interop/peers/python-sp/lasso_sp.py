"""Lasso 2.8 as the lab's SP: every SAML step by lasso.Login and lasso.Logout."""

import base64
import os
import urllib.parse
import urllib.request

import lasso

FORMATS = {
    "persistent": lasso.SAML2_NAME_IDENTIFIER_FORMAT_PERSISTENT,
    "transient": lasso.SAML2_NAME_IDENTIFIER_FORMAT_TRANSIENT,
    "emailAddress": lasso.SAML2_NAME_IDENTIFIER_FORMAT_EMAIL,
}
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
BINDINGS = "urn:oasis:names:tc:SAML:2.0:bindings"


def pem_body(path):
    return "".join(line for line in open(path).read().splitlines() if "-----" not in line)


def metadata_xml(base, signing_cert, encryption_cert):
    def key(use, cert):
        return (
            f'<md:KeyDescriptor use="{use}"><ds:KeyInfo xmlns:ds="{DS}"><ds:X509Data>'
            f"<ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        )

    formats = "".join(f"<md:NameIDFormat>{f}</md:NameIDFormat>" for f in FORMATS.values())
    return (
        f'<md:EntityDescriptor xmlns:md="{MD}" entityID="{base}/metadata">'
        f'<md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true" '
        f'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        f'{key("signing", signing_cert)}{key("encryption", encryption_cert)}'
        f'<md:SingleLogoutService Binding="{BINDINGS}:HTTP-Redirect" Location="{base}/slo"/>'
        f"{formats}"
        f'<md:AssertionConsumerService index="0" isDefault="true" Binding="{BINDINGS}:HTTP-POST" Location="{base}/acs/post"/>'
        f'<md:AssertionConsumerService index="1" Binding="{BINDINGS}:HTTP-Artifact" Location="{base}/acs/artifact"/>'
        "</md:SPSSODescriptor></md:EntityDescriptor>"
    )


class Backend:
    def __init__(self, config):
        self.base = config["base_url"]
        self.idp = config["idp_entity_id"]
        self.metadata_text = metadata_xml(
            self.base, pem_body(config["cert_file"]), pem_body(config["enc_cert_file"])
        )
        self.metadata_file = os.path.join(os.path.dirname(config["key_file"]), "lasso-sp-metadata.xml")
        with open(self.metadata_file, "w") as out:
            out.write(self.metadata_text)
        self.server = lasso.Server(self.metadata_file, config["key_file"], None, config["cert_file"])
        self.server.signatureMethod = lasso.SIGNATURE_METHOD_RSA_SHA256
        self.server.setEncryptionPrivateKey(config["enc_key_file"])
        self.server.addProvider(lasso.PROVIDER_ROLE_IDP, config["idp_metadata_file"], None, None)
        self.sessions_by_name_id = {}
        self.pending_logout = None

    def set_signature_method(self, name):
        """rsa-sha1 (Lasso's historical default) or rsa-sha256, for what it signs from now on."""
        methods = {"rsa-sha1": lasso.SIGNATURE_METHOD_RSA_SHA1, "rsa-sha256": lasso.SIGNATURE_METHOD_RSA_SHA256}
        self.server.signatureMethod = methods[name]

    def metadata(self, want_encrypted=False):
        return self.metadata_text

    def login(self, name_id_format, binding, relay):
        login = lasso.Login(self.server)
        login.initAuthnRequest(self.idp, lasso.HTTP_METHOD_REDIRECT)
        request = login.request
        request.nameIdPolicy.format = FORMATS.get(name_id_format, lasso.SAML2_NAME_IDENTIFIER_FORMAT_UNSPECIFIED)
        request.nameIdPolicy.allowCreate = True
        request.protocolBinding = (
            lasso.SAML2_METADATA_BINDING_ARTIFACT if binding == "artifact" else lasso.SAML2_METADATA_BINDING_POST
        )
        login.msgRelayState = relay
        login.buildAuthnRequestMsg()
        return ("redirect", login.msgUrl)

    def _signed_in(self, login, encrypted):
        login.acceptSso()
        name_id = login.nameIdentifier
        assertion = login.assertion
        attributes = {}
        for statement in assertion.attributeStatement or []:
            for attribute in statement.attribute or []:
                values = []
                for value in attribute.attributeValue or []:
                    values.append("".join(node.content or "" for node in (value.any or []) if hasattr(node, "content")))
                attributes.setdefault(attribute.name, []).extend(values)
        session_dump = login.session.dump()
        self.sessions_by_name_id[name_id.content] = session_dump
        identity = {
            "nameId": name_id.content,
            "nameIdFormat": name_id.format,
            "nameQualifier": name_id.nameQualifier,
            "spNameQualifier": name_id.spNameQualifier,
            "attributes": attributes,
            "sessionIndex": assertion.authnStatement[0].sessionIndex,
            "issuer": login.remoteProviderId,
            "encryptedAssertion": encrypted,
        }
        return identity, {"session": session_dump}

    def acs_post(self, form):
        login = lasso.Login(self.server)
        login.processAuthnResponseMsg(form["SAMLResponse"])
        return self._signed_in(login, b"EncryptedAssertion" in base64.b64decode(form["SAMLResponse"]))

    def acs_artifact(self, query):
        login = lasso.Login(self.server)
        query_string = "&".join(f"{k}={urllib.parse.quote(v, safe='')}" for k, v in query.items())
        login.initRequest(query_string, lasso.HTTP_METHOD_ARTIFACT_GET)
        login.buildRequestMsg()
        request = urllib.request.Request(
            login.msgUrl,
            data=login.msgBody.encode("utf-8"),
            headers={"Content-Type": "text/xml", "SOAPAction": "http://www.oasis-open.org/committees/security"},
        )
        answer = urllib.request.urlopen(request, timeout=10).read().decode("utf-8")
        login.processResponseMsg(answer)
        return self._signed_in(login, "EncryptedAssertion" in answer)

    def logout(self, state):
        logout = lasso.Logout(self.server)
        logout.setSessionFromDump(state["session"])
        logout.initRequest(None, lasso.HTTP_METHOD_REDIRECT)
        logout.buildRequestMsg()
        self.pending_logout = state["session"]
        return ("redirect", logout.msgUrl)

    def logout_response(self, message, method, query):
        logout = lasso.Logout(self.server)
        if self.pending_logout:
            logout.setSessionFromDump(self.pending_logout)
        logout.processResponseMsg(query)
        self.pending_logout = None

    def logout_request(self, message, method, query):
        logout = lasso.Logout(self.server)
        logout.processRequestMsg(query)
        name_id = logout.nameIdentifier.content
        session = self.sessions_by_name_id.pop(name_id, None)
        if session:
            logout.setSessionFromDump(session)
        logout.validateRequest()
        logout.buildResponseMsg()
        return ("redirect", logout.msgUrl), name_id
