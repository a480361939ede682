"""Lasso 2.8 as the interop lab's IdP: every SAML message is read, checked, built, signed,
encrypted and bound by Lasso (lasso.Login, lasso.Logout); host.py only carries them over HTTP
and keeps the sessions: Lasso's identity dump per user (its federations), its session dump per browser."""

import os
import time

import lasso

from host import Answer, signed_out_page

SAML2_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
FORMATS = {
    "transient": lasso.SAML2_NAME_IDENTIFIER_FORMAT_TRANSIENT,
    "persistent": lasso.SAML2_NAME_IDENTIFIER_FORMAT_PERSISTENT,
}
# The IdP's own metadata: Lasso reads its endpoints from it (it writes none itself).
METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{base}/metadata">
  <md:IDPSSODescriptor protocolSupportEnumeration="{protocol}" WantAuthnRequestsSigned="false">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:ArtifactResolutionService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP"
        Location="{base}/artifact" index="0" isDefault="true"/>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="{base}/slo"/>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="{base}/sso"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
        Location="{base}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"""


class Backend:
    def __init__(self, lab):
        self.lab = lab
        config = lab.config
        self.base = config["baseUrl"]
        with open(config["certFile"], encoding="ascii") as handle:
            body = "".join(line for line in handle.read().splitlines() if "-----" not in line)
        self.metadata_xml = METADATA.format(base=self.base, protocol=SAML2_PROTOCOL, cert=body)
        self.metadata_file = os.path.join(os.path.dirname(config["spSettingsFile"]), "idp-metadata.xml")
        with open(self.metadata_file, "w", encoding="utf-8") as handle:
            handle.write(self.metadata_xml)
        self._server = None
        self._stamp = None
        self.identities = {}  # user -> Lasso identity dump: the user's federations with SPs
        self.artifacts = {}  # artifact -> the Response Lasso keeps for it (its dump)
        self.logouts = {}  # LogoutRequest ID -> (Lasso Logout dump, the IdP-initiated logout)

    @property
    def server(self):
        """Lasso's Server, rebuilt (SPs re-added) when the lab hands it other SP metadata."""
        files, stamp = self.lab.sp_metadata()
        if self._server is None or stamp != self._stamp:
            config = self.lab.config
            server = lasso.Server(self.metadata_file, config["keyFile"], None, config["certFile"])
            server.signatureMethod = lasso.SIGNATURE_METHOD_RSA_SHA256
            for path in files:
                server.addProvider(lasso.PROVIDER_ROLE_SP, path)
            self._server, self._stamp = server, stamp
        return self._server

    def metadata(self):
        return self.metadata_xml

    def read_authn_request(self, params, binding, raw_query):
        login = lasso.Login(self.server)
        login.processAuthnRequestMsg(raw_query if binding == "redirect" else params["SAMLRequest"])
        return {"dump": login.dump(), "relayState": params.get("RelayState", "")}

    def unsolicited(self, sp, relay_state):
        """IdP-initiated sign-in at this SP (saml-profiles §4.1.5): Lasso's own unsolicited
        AuthnRequest, answered by HTTP-POST."""
        login = lasso.Login(self.server)
        login.initIdpInitiatedAuthnRequest(sp)
        login.request.protocolBinding = lasso.SAML2_METADATA_BINDING_POST
        login.request.nameIdPolicy.allowCreate = True
        login.processAuthnRequestMsg(None)
        return {"dump": login.dump(), "relayState": relay_state}

    def answer_authn_request(self, request, session):
        server = self.server
        login = lasso.Login.newFromDump(server, request["dump"])
        sp = login.remoteProviderId
        settings = self.lab.sp_settings(sp)
        login.request.nameIdPolicy.format = FORMATS[settings.get("nameIdFormat", "persistent")]
        provider = server.getProvider(sp)
        provider.setEncryptionMode(
            lasso.ENCRYPTION_MODE_ASSERTION if settings.get("encryptAssertion") else lasso.ENCRYPTION_MODE_NONE
        )
        provider.setKeyEncryptionMethod(lasso.KEY_ENCRYPTION_METHOD_OAEP)
        provider.setEncryptionSymKeyType(lasso.ENCRYPTION_SYM_KEY_TYPE_AES_256)
        # The user's federations (persistent NameIDs) outlive a session; the session dump not.
        identity = self.identities.get(session["user"])
        if identity:
            login.setIdentityFromDump(identity)
        if session.get("session"):
            login.setSessionFromDump(session["session"])
        login.validateRequestMsg(True, True)
        now = time.time()
        login.buildAssertion(
            lasso.SAML2_AUTHN_CONTEXT_PASSWORD_PROTECTED_TRANSPORT,
            iso(now),
            None,
            iso(now - 60),
            iso(now + 300),
        )
        add_attributes(login.assertion, self.lab.users[session["user"]]["attributes"])
        name_id = login.assertion.subject.nameID
        issued = {
            "nameId": name_id.content,
            "format": name_id.format,
            "nameQualifier": name_id.nameQualifier,
            "spNameQualifier": name_id.spNameQualifier,
        }
        artifact = login.protocolProfile == lasso.LOGIN_PROTOCOL_PROFILE_BRWS_ART
        if artifact:
            login.buildArtifactMsg(lasso.HTTP_METHOD_ARTIFACT_GET)
            self.artifacts[login.artifact] = login.artifactMessage
        else:
            login.buildAuthnResponseMsg()
        if login.isIdentityDirty:
            self.identities[session["user"]] = login.identity.dump()
        if login.isSessionDirty:
            session["session"] = login.session.dump()
        session["sps"][sp] = issued
        self.lab.log(
            "sign-in",
            user=session["user"],
            sp=sp,
            binding="artifact" if artifact else "post",
            encrypted=bool(settings.get("encryptAssertion")),
            **issued,
        )
        if artifact:
            return Answer.redirect(login.msgUrl)
        return Answer.post_form(login.msgUrl, {"SAMLResponse": login.msgBody, **relay(request["relayState"])})

    def resolve_artifact(self, body):
        login = lasso.Login(self.server)
        login.processRequestMsg(body)
        message = self.artifacts.pop(login.artifact, None)
        self.lab.log("artifact-resolve", known=message is not None, issuer=login.remoteProviderId)
        if message is not None:
            login.artifactMessage = message
        login.buildResponseMsg(None)
        return login.msgBody

    def logout_message(self, params, binding, raw_query, key, session):
        if "SAMLResponse" in params:
            return self.logout_answered(raw_query)
        server = self.server
        logout = lasso.Logout(server)
        logout.processRequestMsg(raw_query)
        sp = logout.remoteProviderId
        name_id = logout.request.nameId
        if session and session.get("session"):
            logout.setSessionFromDump(session["session"])
        if session and self.identities.get(session["user"]):
            logout.setIdentityFromDump(self.identities[session["user"]])
        outcome = "ended"
        try:
            # Lasso matches the request's NameID (qualifiers included) to its session.
            logout.validateRequest()
        except lasso.Error as error:
            outcome = "refused: %s" % error
        self.lab.log(
            "logout-request",
            sp=sp,
            nameId=name_id.content,
            nameQualifier=name_id.nameQualifier,
            spNameQualifier=name_id.spNameQualifier,
            outcome=outcome,
        )
        if outcome == "ended":
            self.lab.sessions.pop(key, None)
        logout.buildResponseMsg()
        return Answer.redirect(logout.msgUrl)

    def start_logout(self, key, session):
        self.lab.sessions.pop(key, None)
        state = {"session": session, "remaining": list(session["sps"]), "confirmed": [], "failed": []}
        return self.next_logout(state)

    def next_logout(self, state):
        if not state["remaining"]:
            self.lab.log("idp-logout-done", confirmed=state["confirmed"], failed=state["failed"])
            return signed_out_page(state)
        sp = state["remaining"].pop(0)
        logout = lasso.Logout(self.server)
        logout.setSessionFromDump(state["session"]["session"])
        if self.identities.get(state["session"]["user"]):
            logout.setIdentityFromDump(self.identities[state["session"]["user"]])
        logout.initRequest(sp, lasso.HTTP_METHOD_REDIRECT)
        logout.buildRequestMsg()
        self.logouts[logout.request.iD] = (logout.dump(), sp, state)
        self.lab.log("logout-sent", sp=sp, nameId=logout.request.nameId.content)
        return Answer.redirect(logout.msgUrl)

    def logout_answered(self, raw_query):
        logout = lasso.Logout(self.server)
        try:
            logout.processResponseMsg(raw_query)
            status = "urn:oasis:names:tc:SAML:2.0:status:Success"
        except lasso.Error as error:
            status = "refused: %s" % error
        request_id = logout.response.inResponseTo if logout.response else None
        dump, sp, state = self.logouts.pop(request_id, (None, None, None))
        if state is None:
            return Answer.page("Logout", "<p>No logout is waiting for this answer.</p>", "400 Bad Request")
        (state["confirmed"] if status.endswith("Success") else state["failed"]).append(sp)
        self.lab.log("logout-response", sp=sp, status=status)
        return self.next_logout(state)


def add_attributes(assertion, attributes):
    """The user's attributes as an AttributeStatement, basic names (saml-core §2.7.3)."""
    statement = lasso.Saml2AttributeStatement()
    out = []
    for name, values in attributes.items():
        attribute = lasso.Saml2Attribute()
        attribute.name = name
        attribute.nameFormat = lasso.SAML2_ATTRIBUTE_NAME_FORMAT_BASIC
        items = []
        for value in values:
            text = lasso.MiscTextNode.newWithString(value)
            text.textChild = True
            item = lasso.Saml2AttributeValue()
            item.any = (text,)
            items.append(item)
        attribute.attributeValue = tuple(items)
        out.append(attribute)
    statement.attribute = tuple(out)
    assertion.attributeStatement = (statement,)


def iso(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def relay(relay_state):
    return {"RelayState": relay_state} if relay_state else {}
