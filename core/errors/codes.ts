/**
 * The stable error codes of ssoproof. A code never changes meaning once published: pages,
 * logs, diagnostics and reports all key on it. `hint` tells a person what to check.
 */
export const errorCodes = {
  // Hardened XML (core/xml)
  XML_MALFORMED: { status: 400, hint: 'The message is not well-formed XML.' },
  XML_DOCTYPE_FORBIDDEN: {
    status: 400,
    hint: 'SAML messages must not carry a DOCTYPE or entity declarations; remove them.',
  },
  XML_TOO_LARGE: { status: 413, hint: 'The message exceeds the size cap; see README "Limits".' },
  XML_TOO_DEEP: { status: 400, hint: 'The message nests elements deeper than the cap allows.' },
  XML_TOO_MANY_NODES: {
    status: 413,
    hint: 'The message has more nodes (elements, text, comments) than the cap allows; see README "Limits".',
  },
  XML_TOO_MANY_ATTRIBUTES: {
    status: 413,
    hint: 'The message carries more attributes (namespace declarations included), in all or on one element, than the caps allow; see README "Limits".',
  },
  XML_MULTIPLE_ROOTS: { status: 400, hint: 'A message must have exactly one root element.' },
  XML_PROCESSING_INSTRUCTION_FORBIDDEN: {
    status: 400,
    hint: 'SAML messages must not carry processing instructions (only the XML declaration); remove them.',
  },
  XML_RESERVED_ATTRIBUTE_NAME: {
    status: 400,
    hint: 'An attribute is named like a namespace declaration (xmlns…) but is none: such names are reserved (XML 1.0 §2.3), and XML signature canonicalization in xml-crypto 6.3.2 and earlier left them out of what a signature covers. Remove it.',
  },
  XML_NAMESPACE_NAME_INVALID: {
    status: 400,
    hint: 'A namespace declaration (xmlns or xmlns:p) names no absolute URI: it holds a quote, angle bracket, white space, control or other character no URI can hold, or it has no scheme (a relative name, or xmlns:p=""; Namespaces in XML §2.2, RFC 3986). XML signature canonicalization in xml-crypto 6.3.2 and earlier writes such a value unescaped, so a signed element could read differently from what was signed. Declare the namespace by its real name; only xmlns="" (leaving a default namespace) may be empty.',
  },

  // XML signatures (core/xmldsig)
  SAML_SIGNATURE_MISSING: {
    status: 403,
    hint: 'Sign the Response and/or the Assertion; the SP accepts no unsigned assertion.',
  },
  SAML_SIGNATURE_INVALID: {
    status: 403,
    hint: 'The signature does not verify with the configured IdP certificate. Check that the IdP signs with the key of the certificate configured at the SP, and that nothing changed the message after signing.',
  },
  SAML_SIGNATURE_ALGORITHM_FORBIDDEN: {
    status: 403,
    hint: 'Sign with RSA-SHA256 (or stronger) and SHA-256 digests; SHA-1, DSA and HMAC are refused.',
  },
  SAML_SIGNATURE_TRANSFORM_FORBIDDEN: {
    status: 403,
    hint: 'Only the enveloped-signature and exclusive canonicalization transforms are allowed.',
  },
  SAML_SIGNATURE_REFERENCE_INVALID: {
    status: 403,
    hint: "The signature must hold exactly one Reference whose URI is '#' plus the ID of the element that carries the signature.",
  },
  SAML_SIGNED_ELEMENT_TOO_LARGE: {
    status: 413,
    hint: 'The element the signature covers holds more nodes and attributes than the SP canonicalizes (README "Limits"); a real Assertion holds a few hundred.',
  },
  SAML_DUPLICATE_ID: {
    status: 403,
    hint: 'Two elements share one ID attribute; a signed message needs unique IDs.',
  },
  SAML_CERTIFICATE_INVALID: {
    status: 500,
    hint: 'The configured IdP certificate could not be read as PEM or base64 DER.',
  },
  // Legacy crypto and certificate validity: refused by default; a per-IdP SP setting
  // (idp.allowLegacyCrypto, idp.ignoreCertificateValidity) or `ssoproof check --legacy-crypto` /
  // `--ignore-cert-validity` accepts them, each reported as a warning under the same code.
  SAML_SIGNATURE_SHA1: {
    status: 403,
    hint: 'The signature uses RSA-SHA1. Sign with RSA-SHA256 or stronger; SHA-1 is accepted only when legacy crypto is allowed for this IdP (idp.allowLegacyCrypto, ssoproof check --legacy-crypto).',
  },
  SAML_DIGEST_SHA1: {
    status: 403,
    hint: 'The signature Reference uses a SHA-1 digest. Use SHA-256 digests; SHA-1 is accepted only when legacy crypto is allowed for this IdP (idp.allowLegacyCrypto, ssoproof check --legacy-crypto).',
  },
  SAML_SIGNING_KEY_TOO_SHORT: {
    status: 403,
    hint: 'The certificate that verified the signature holds an RSA key under 2048 bits. Have the IdP sign with a 2048-bit (or longer) key; shorter keys are accepted only when legacy crypto is allowed for this IdP.',
  },
  SAML_IDP_CERTIFICATE_EXPIRED: {
    status: 403,
    hint: "The IdP certificate that verified the signature is past its notAfter date. Configure the IdP's current certificate, or set idp.ignoreCertificateValidity (ssoproof check --ignore-cert-validity) to accept it with a warning.",
  },
  SAML_IDP_CERTIFICATE_NOT_YET_VALID: {
    status: 403,
    hint: 'The IdP certificate that verified the signature is not valid before its notBefore date; check the SP clock or the certificate, or set idp.ignoreCertificateValidity (ssoproof check --ignore-cert-validity).',
  },

  // Bindings (core/saml)
  SAML_MESSAGE_MISSING: {
    status: 400,
    hint: 'No SAMLRequest/SAMLResponse (or SAMLart) parameter was found in the request.',
  },
  SAML_BINDING_INVALID: {
    status: 400,
    hint: 'The parameter is not valid base64 (or not valid DEFLATE for the Redirect binding).',
  },
  SAML_INFLATE_TOO_LARGE: {
    status: 413,
    hint: 'The DEFLATE payload inflates beyond the size cap (a possible deflate bomb).',
  },
  SAML_RELAY_STATE_TOO_LONG: {
    status: 400,
    hint: 'RelayState must not exceed 80 bytes (saml-bindings 3.4.3).',
  },
  SOAP_MESSAGE_INVALID: {
    status: 400,
    hint: 'Send a SOAP 1.1 Envelope whose one Body holds exactly one SAML message, with no mustUnderstand header (saml-bindings 3.2).',
  },

  // HTTP-Artifact binding (saml-bindings 3.6, saml-core 3.5; sp/artifact). Resolution failures are
  // a refused sign-in (403) for the visitor, whatever went wrong between the SP and the IdP.
  SAML_ARTIFACT_INVALID: {
    status: 400,
    hint: 'SAMLart must be the base64 of a 44-byte type 0x0004 artifact: TypeCode, EndpointIndex, SourceID, MessageHandle (saml-bindings 3.6.4).',
  },
  SAML_ARTIFACT_UNKNOWN_SOURCE: {
    status: 403,
    hint: "The artifact's SourceID is not the SHA-1 of the configured IdP entity ID; the artifact comes from another IdP, or idp.entityId is wrong.",
  },
  SAML_ARTIFACT_RESOLUTION_UNCONFIGURED: {
    status: 403,
    hint: "The SP has no artifact resolution service URL for the IdP; set idp.artifactResolutionUrl from the IdP metadata's ArtifactResolutionService.",
  },
  SAML_ARTIFACT_RESOLVE_TIMEOUT: {
    status: 403,
    hint: 'The artifact resolution service did not answer in time (artifactResolveTimeoutMs); check that the IdP is up and reachable from the SP.',
  },
  SAML_ARTIFACT_RESOLVE_UNREACHABLE: {
    status: 403,
    hint: 'The SP could not connect to the artifact resolution service (refused, unknown host, reset); check idp.artifactResolutionUrl and that the IdP is running.',
  },
  SAML_ARTIFACT_RESOLVE_HTTP_STATUS: {
    status: 403,
    hint: 'The artifact resolution service answered with an HTTP status other than 200 and no SOAP Fault; see the evidence for the status.',
  },
  SAML_ARTIFACT_RESOLVE_SOAP_FAULT: {
    status: 403,
    hint: 'The artifact resolution service answered with a SOAP Fault; its faultcode and faultstring are in the evidence.',
  },
  SAML_ARTIFACT_RESPONSE_INVALID: {
    status: 403,
    hint: 'The artifact resolution service did not answer with a SOAP Envelope holding a samlp:ArtifactResponse (Version 2.0, ID, InResponseTo = the ArtifactResolve ID, at most one message).',
  },
  SAML_ARTIFACT_NOT_RESOLVED: {
    status: 403,
    hint: 'The IdP answered the ArtifactResolve with no message: the artifact was already used, has expired, was issued to another SP, or the IdP did not accept this SP as requester (saml-core 3.5.3).',
  },

  // The IdP's ArtifactResolutionService (idp/artifact). The SOAP answer is always 200: these
  // codes name why it carried an error status or no message (saml-core 3.5.3); the IdP logs them.
  IDP_ARTIFACT_RESOLVE_VERSION_MISMATCH: {
    status: 400,
    hint: 'The ArtifactResolve must be SAML Version 2.0; the answer carries status VersionMismatch.',
  },
  IDP_ARTIFACT_RESOLVE_INVALID: {
    status: 400,
    hint: 'The ArtifactResolve needs ID, IssueInstant, Issuer and exactly one Artifact; the answer carries status Requester.',
  },
  IDP_ARTIFACT_RESOLVE_DESTINATION_MISMATCH: {
    status: 403,
    hint: "The ArtifactResolve Destination is not this IdP's ArtifactResolutionService; the answer carries Requester/RequestDenied.",
  },
  IDP_ARTIFACT_REQUESTER_UNKNOWN: {
    status: 403,
    hint: 'The ArtifactResolve Issuer is not a registered service provider; the answer carries no message.',
  },
  IDP_ARTIFACT_REQUESTER_UNAUTHENTICATED: {
    status: 403,
    hint: 'The SP registered certificates, so its ArtifactResolve must carry a signature that verifies with one, or come with one of them as its TLS client certificate (saml-bindings 3.6.5.2).',
  },
  IDP_ARTIFACT_NOT_ISSUED_HERE: {
    status: 403,
    hint: "The artifact is malformed, or its SourceID or endpoint index is not this IdP's; the answer carries no message.",
  },
  IDP_ARTIFACT_UNKNOWN: {
    status: 403,
    hint: 'The artifact is unknown, already used or expired (artifactLifetimeMs); each artifact resolves once.',
  },
  IDP_ARTIFACT_OTHER_REQUESTER: {
    status: 403,
    hint: 'The artifact was issued to another service provider; it is spent now, and the answer carries no message.',
  },

  // AuthnRequest handling at the IdP
  SAML_REQUEST_INVALID: { status: 400, hint: 'The message is not a SAML 2.0 AuthnRequest.' },
  SAML_REQUEST_UNKNOWN_SP: {
    status: 403,
    hint: 'Register the service provider at the IdP (its metadata or config) under this entity ID.',
  },
  SAML_REQUEST_ACS_NOT_ALLOWED: {
    status: 403,
    hint: "The AssertionConsumerServiceURL in the request is not one of the SP's registered ACS URLs.",
  },
  SAML_REQUEST_BINDING_UNSUPPORTED: {
    status: 400,
    hint: 'The AuthnRequest ProtocolBinding asks for a response binding this IdP does not answer by; ask for HTTP-POST or HTTP-Artifact (and register an ACS of that binding).',
  },
  SAML_REQUEST_SIGNATURE_MISSING: {
    status: 403,
    hint: 'This SP is registered as signing its AuthnRequests, but the request carries no signature.',
  },
  SAML_REQUEST_SIGNATURE_INVALID: {
    status: 403,
    hint: "The AuthnRequest signature does not verify with the SP's registered certificate.",
  },
  IDP_LOGIN_FAILED: { status: 401, hint: 'Unknown user or wrong password.' },
  IDP_SECOND_FACTOR_FAILED: {
    status: 401,
    hint: "Wrong one-time code: enter the code of the user's second factor (secondFactor.code in the users file).",
  },
  IDP_FLOW_UNKNOWN: {
    status: 400,
    hint: 'The sign-in form refers to a request the IdP does not know (expired or already used); start again from the SP.',
  },

  // Response validation at the SP
  SAML_RESPONSE_INVALID: {
    status: 400,
    hint: 'The message is not a SAML 2.0 Response (root must be samlp:Response, Version 2.0, with an ID).',
  },
  SAML_STATUS_NOT_SUCCESS: {
    status: 403,
    hint: 'The IdP answered with a non-success status; see the evidence for the status code.',
  },
  SAML_ISSUER_MISMATCH: {
    status: 403,
    hint: 'The Issuer must equal the IdP entity ID configured at the SP.',
  },
  SAML_DESTINATION_MISMATCH: {
    status: 403,
    hint: "The Response's Destination must equal the SP's AssertionConsumerService URL.",
  },
  SAML_RECIPIENT_MISMATCH: {
    status: 403,
    hint: "SubjectConfirmationData Recipient must equal the SP's AssertionConsumerService URL.",
  },
  SAML_AUDIENCE_MISMATCH: {
    status: 403,
    hint: "The AudienceRestriction must name the SP's entity ID.",
  },
  SAML_NOT_YET_VALID: {
    status: 403,
    hint: 'NotBefore lies in the future beyond the allowed clock skew; check the IdP clock.',
  },
  SAML_EXPIRED: {
    status: 403,
    hint: 'NotOnOrAfter has passed (beyond the allowed clock skew); the response is too old or the IdP clock is off.',
  },
  SAML_TIMESTAMP_INVALID: {
    status: 400,
    hint: 'A timestamp is not a valid xs:dateTime in UTC.',
  },
  SAML_ISSUED_IN_FUTURE: {
    status: 403,
    hint: 'The Response or Assertion IssueInstant lies in the future beyond the allowed clock skew; check the IdP clock.',
  },
  SAML_IN_RESPONSE_TO_UNKNOWN: {
    status: 403,
    hint: 'InResponseTo does not match a pending AuthnRequest of this browser (expired, used, or from another session).',
  },
  SAML_IN_RESPONSE_TO_MISSING: {
    status: 403,
    hint: "This browser is waiting for the answer to an AuthnRequest and the Response carries no InResponseTo, or the Response names a request and the Assertion's bearer SubjectConfirmationData does not: the IdP must name the request it answers in both (saml-profiles 4.1.4.2). Start the sign-in again.",
  },
  SAML_UNSOLICITED_NOT_ALLOWED: {
    status: 403,
    hint: 'IdP-initiated (unsolicited) responses are switched off for this SP; enable allowUnsolicited (`ssoproof sp --allow-unsolicited`) or start at the SP.',
  },
  SAML_REPLAY: {
    status: 403,
    hint: 'This Response or Assertion ID was already consumed; a response can be used once.',
  },
  SAML_ASSERTION_COUNT: {
    status: 403,
    hint: 'A Response must contain exactly one Assertion.',
  },
  SAML_ASSERTION_UNSIGNED: {
    status: 403,
    hint: 'The SP wants signed assertions (WantAssertionsSigned); sign the Assertion itself.',
  },
  SAML_RESPONSE_UNSIGNED: {
    status: 403,
    hint: 'The SP wants the Response itself signed.',
  },
  SAML_ENCRYPTED_UNSUPPORTED: {
    status: 403,
    hint: 'The message carries encrypted content this SP is not set up to decrypt: an EncryptedAssertion without a decryption key configured, or an EncryptedID.',
  },
  SAML_ASSERTION_DECRYPTION_FAILED: {
    status: 403,
    hint: 'The EncryptedAssertion cannot be decrypted with the SP key. Check that the IdP encrypts to the certificate in the SP metadata (KeyDescriptor use="encryption"), with one EncryptedData and one EncryptedKey; the evidence says whether the EncryptedKey names that certificate.',
  },
  SAML_ENCRYPTION_ALGORITHM_FORBIDDEN: {
    status: 403,
    hint: 'Encrypt with RSA-OAEP (rsa-oaep-mgf1p) key transport and AES-GCM or AES-CBC content, as the SP metadata lists; Triple DES and unknown algorithms are refused (RSA 1.5 has its own code).',
  },
  SAML_KEY_TRANSPORT_RSA1_5: {
    status: 403,
    hint: 'The content key is wrapped with RSA 1.5 (PKCS#1 v1.5), open to Bleichenbacher-style attacks. Encrypt the key with RSA-OAEP; RSA 1.5 is accepted only when legacy crypto is allowed for this IdP (and Node.js itself no longer decrypts it since CVE-2023-46809).',
  },
  SAML_DECRYPTION_KEY_TOO_SHORT: {
    status: 403,
    hint: "The SP's decryption key is an RSA key under 2048 bits. Give the SP a 2048-bit (or longer) encryption key; shorter keys are accepted only when legacy crypto is allowed for this IdP.",
  },
  SAML_CONTENT_ENCRYPTION_CBC: {
    status: 403,
    hint: 'A warning, never a refusal: the content is encrypted with AES-CBC, which has no integrity of its own. AES-GCM is preferred.',
  },
  SAML_NAMEID_DECRYPTION_FAILED: {
    status: 403,
    hint: 'The EncryptedID cannot be decrypted with the SP key. Check that the IdP encrypts the NameID to the certificate in the SP metadata (KeyDescriptor use="encryption"), with one EncryptedData and one EncryptedKey.',
  },
  SAML_ASSERTION_UNENCRYPTED: {
    status: 403,
    hint: 'The SP wants encrypted assertions (wantAssertionsEncrypted); encrypt the Assertion to the SP encryption certificate.',
  },
  SAML_SUBJECT_INVALID: {
    status: 403,
    hint: 'The Assertion needs a Subject with a non-empty NameID and a bearer SubjectConfirmation.',
  },
  SAML_NAMEID_MISSING: { status: 403, hint: 'The Subject carries no NameID, or an empty one.' },
  SAML_SUBJECT_CONFIRMATION_INVALID: {
    status: 403,
    hint: 'The Subject needs a bearer SubjectConfirmation whose data carries Recipient and NotOnOrAfter (Web SSO profile 4.1.4.2).',
  },
  SAML_AUTHN_STATEMENT_MISSING: {
    status: 403,
    hint: 'The Assertion carries no AuthnStatement (Web SSO profile 4.1.4.2).',
  },
  SAML_CONDITIONS_MISSING: {
    status: 403,
    hint: 'The Assertion carries no Conditions with an AudienceRestriction.',
  },

  // Single logout, both sides (saml-profiles §4.4; core/saml/logout.ts, idp/slo, sp/slo)
  SAML_LOGOUT_REQUEST_INVALID: {
    status: 400,
    hint: 'The message is not a SAML 2.0 LogoutRequest with ID, IssueInstant, Issuer and a non-empty NameID (saml-core 3.7.1).',
  },
  SAML_LOGOUT_RESPONSE_INVALID: {
    status: 400,
    hint: 'The message is not a SAML 2.0 LogoutResponse with ID, IssueInstant, Issuer and a Status (saml-core 3.7.2).',
  },
  SAML_LOGOUT_ISSUER_UNKNOWN: {
    status: 403,
    hint: 'The logout message must come from the configured IdP (at the SP) or from a registered SP (at the IdP), and a LogoutResponse from the party the request went to.',
  },
  SAML_LOGOUT_SIGNATURE_MISSING: {
    status: 403,
    hint: 'Logout messages must be signed (saml-profiles 4.4.3): a query signature for HTTP-Redirect, an enveloped signature for HTTP-POST.',
  },
  SAML_LOGOUT_SIGNATURE_INVALID: {
    status: 403,
    hint: "The logout message's signature does not verify with the other party's registered certificate (RSA-SHA256 or stronger).",
  },
  SAML_LOGOUT_DESTINATION_MISMATCH: {
    status: 403,
    hint: "Destination must be this side's SingleLogoutService URL, and a signed message must carry it.",
  },
  SAML_LOGOUT_EXPIRED: {
    status: 403,
    hint: "The LogoutRequest's NotOnOrAfter has passed (beyond the allowed clock skew); send a fresh request or check the clocks.",
  },
  SAML_LOGOUT_UNKNOWN_REQUEST: {
    status: 403,
    hint: 'The LogoutResponse InResponseTo names no logout request this side is waiting for (unknown, expired or already answered).',
  },
  SAML_LOGOUT_STATUS_NOT_SUCCESS: {
    status: 403,
    hint: 'The other party answered the logout with a non-success status (see evidence); this side’s own session has ended regardless.',
  },
  SAML_LOGOUT_ENDPOINT_MISSING: {
    status: 403,
    hint: 'The other party has no SingleLogoutService this side can use: register it (SP metadata at the IdP, idp.sloUrl at the SP).',
  },

  // JWT token SSO (core/jwt, idp/jwt, sp/jwt): every way a token is refused at the SP, and the
  // IdP's refusals of a remote login. A refused token is a refused sign-in (403) for the visitor.
  JWT_TOKEN_MISSING: {
    status: 400,
    hint: 'The callback carries no token: the IdP must redirect to return_url with ?token=<JWT> appended (or post `token`).',
  },
  JWT_SIGN_IN_FAILED: {
    status: 403,
    hint: 'The IdP sent an error instead of a token (e.g. the user cancelled); see the evidence.',
  },
  JWT_TOO_LARGE: { status: 413, hint: 'The token exceeds the size cap (jwt.maxTokenBytes).' },
  JWT_MALFORMED: {
    status: 400,
    hint: 'The token is not a compact JWS: three base64url parts, a JSON header with `alg`, a JSON claims set.',
  },
  JWT_BASE64URL_NON_CANONICAL: {
    status: 400,
    hint: 'Each part of the token must be base64url without padding and with the unused bits of its last character zero (RFC 7515 §2, RFC 4648 §3.5): another spelling of the same bytes is refused, so a token cannot pass twice as two tokens.',
  },
  JWT_ALGORITHM_FORBIDDEN: {
    status: 403,
    hint: "The token's alg is not on the SP's allow-list: JWT token SSO takes jwt.algorithms (ssoproof sp --jwt-alg; default RS256), OpenID Connect oidc.idTokenAlgorithms (ssoproof sp --id-token-alg; default the provider's id_token_signing_alg_values_supported). Sign with one of them, or allow yours; `none` is never accepted.",
  },
  JWT_HEADER_KEY_FORBIDDEN: {
    status: 403,
    hint: 'The token header carries or points at its own key (jwk, jku, x5u, x5c); keys come from the SP configuration only. Remove them.',
  },
  JWT_CRIT_UNSUPPORTED: {
    status: 403,
    hint: 'The token header lists `crit` extensions; none is understood here, so the token is refused (RFC 7515 4.1.11).',
  },
  JWT_KEY_UNKNOWN: {
    status: 403,
    hint: "No configured key fits the token: check the algorithm's key type (RSA certificate for RS256, P-256 key for ES256, shared secret for HS256) and that the token's kid is in the JWKS.",
  },
  JWT_SIGNATURE_INVALID: {
    status: 403,
    hint: 'The signature does not verify with the configured key(s): the IdP signs with another key, or the token was changed.',
  },
  JWT_ISSUER_MISMATCH: {
    status: 403,
    hint: 'The `iss` claim must equal the configured issuer exactly.',
  },
  JWT_AUDIENCE_MISMATCH: {
    status: 403,
    hint: 'The `aud` claim must name this SP (the configured audience or client ID).',
  },
  JWT_EXPIRED: {
    status: 403,
    hint: '`exp` has passed (beyond the allowed clock skew): the token is too old, or the IdP clock is off.',
  },
  JWT_NOT_YET_VALID: {
    status: 403,
    hint: '`nbf` lies in the future beyond the allowed clock skew; check the IdP clock.',
  },
  JWT_ISSUED_IN_FUTURE: {
    status: 403,
    hint: '`iat` lies in the future beyond the allowed clock skew; check the IdP clock.',
  },
  JWT_CLAIM_MISSING: {
    status: 403,
    hint: 'A required claim is missing (see evidence); tokens must carry `exp`.',
  },
  JWT_CLAIM_INVALID: {
    status: 403,
    hint: 'A claim has the wrong type (e.g. a time that is not a number of seconds); see evidence.',
  },
  JWT_SUBJECT_MISSING: {
    status: 403,
    hint: 'The token names no user: it needs a non-empty `id` (inSided user data format) or `sub` claim.',
  },
  JWT_REPLAY: {
    status: 403,
    hint: 'This token (its jti) was already used to sign in; a token signs in once.',
  },
  JWT_JWKS_UNAVAILABLE: {
    status: 403,
    hint: 'The verification keys could not be fetched from the JWKS URL (down, slow, not a JWK Set); see evidence.',
  },
  JWT_LOGIN_UNCONFIGURED: {
    status: 403,
    hint: 'No remote login URL is configured (jwt.loginUrl); the IdP must sign visitors in from its own pages (JavaScript hand-over).',
  },
  JWT_RETURN_URL_REJECTED: {
    status: 400,
    hint: 'return_url must be an absolute http(s) URL under one of the return URLs registered for a JWT service provider at the IdP, without a `token` parameter of its own.',
  },
  JWT_SP_UNKNOWN: {
    status: 403,
    hint: 'No JWT service provider is registered at the IdP under this id.',
  },
  // OpenID Connect provider (idp/oidc): refusals shown as a page because the redirect_uri cannot
  // be trusted. Errors a client hears at its redirect_uri or token endpoint are OAuth's own codes.
  OIDC_CLIENT_UNKNOWN: {
    status: 400,
    hint: 'No OpenID Connect client is registered at the IdP under this client_id (oidcClients, or POST /admin/oidc-clients).',
  },
  OIDC_REDIRECT_URI_NOT_ALLOWED: {
    status: 400,
    hint: "redirect_uri must equal one of the client's registered redirect URIs exactly (OIDC Core 3.1.2.1).",
  },
  OIDC_ID_TOKEN_HINT_INVALID: {
    status: 400,
    hint: 'id_token_hint must be an ID token this IdP issued (signature and issuer), to the client named by client_id if both are sent.',
  },
  OIDC_POST_LOGOUT_REDIRECT_URI_NOT_ALLOWED: {
    status: 400,
    hint: "post_logout_redirect_uri must equal one of the client's registered postLogoutRedirectUris, and the client must be known (id_token_hint or client_id).",
  },
  OIDC_INITIATE_LOGIN_UNCONFIGURED: {
    status: 400,
    hint: "Login initiated by the IdP goes to the client's initiate_login_uri: register one for the client (initiateLoginUri).",
  },
  // OpenID Connect / OAuth 2 at the reference SP (sp/oidc). ID token signature and claim failures
  // carry the JWT_* codes above; these are the rest of the code flow.
  OIDC_STATE_MISMATCH: {
    status: 403,
    hint: 'The answer does not match a sign-in this browser started: the state differs, the pre-login cookie is missing or expired, or the answer was already used. Start again at the SP.',
  },
  OIDC_NONCE_MISMATCH: {
    status: 403,
    hint: 'The ID token nonce is not the one this browser sent: the token belongs to another sign-in (replay or injection).',
  },
  OIDC_ISSUER_MISMATCH: {
    status: 403,
    hint: "The authorization response's iss parameter (RFC 9207) is not the configured issuer: another IdP answered (mix-up).",
  },
  OIDC_AUTHORIZATION_ERROR: {
    status: 403,
    hint: 'The IdP answered with an error instead of a code (e.g. access_denied when the user cancelled, login_required); see the evidence.',
  },
  OIDC_CODE_MISSING: {
    status: 400,
    hint: 'The authorization response carries neither a code nor an error.',
  },
  OIDC_TOKEN_REQUEST_FAILED: {
    status: 403,
    hint: 'The token endpoint refused the code exchange or could not be reached; the evidence has the HTTP status and the OAuth error (invalid_client: check the client ID, secret and authentication method).',
  },
  OIDC_TOKEN_RESPONSE_INVALID: {
    status: 403,
    hint: 'The token response must carry a Bearer access_token, and in OIDC mode an id_token.',
  },
  JWT_AZP_MISMATCH: {
    status: 403,
    hint: 'The token names several audiences without this SP as its authorized party (azp), or another azp: issue it to this SP alone, or set azp to its audience.',
  },
  OIDC_AZP_MISMATCH: {
    status: 403,
    hint: 'The ID token names another authorized party (azp), or has several audiences and no azp (OIDC Core 3.1.3.7).',
  },
  OIDC_AT_HASH_MISMATCH: {
    status: 403,
    hint: 'The ID token at_hash does not match the access token it came with: the access token was swapped.',
  },
  OIDC_USERINFO_FAILED: {
    status: 403,
    hint: 'The userinfo endpoint did not answer with a JSON object of claims (see status and error).',
  },
  OIDC_USERINFO_SUB_MISMATCH: {
    status: 403,
    hint: "userinfo's sub must equal the ID token's sub exactly (OIDC Core 5.3.2).",
  },
  OIDC_SUBJECT_MISSING: {
    status: 403,
    hint: 'No user ID came back: in OAuth2 mode set claimNames.sub to the claim the IdP uses for it.',
  },
  OIDC_USERINFO_UNSIGNED: {
    status: 403,
    hint: 'This client requires signed userinfo (requireSignedUserinfo): register userinfo_signed_response_alg for it at the provider.',
  },
  OIDC_CLAIM_SOURCE_INVALID: {
    status: 403,
    hint: 'A warning, never a refusal: an aggregated or distributed claim source (OIDC Core 5.6.2) could not be used — no JWT, an endpoint away from the issuer, or an answer that is not a JWT — so its claims were dropped.',
  },
  OIDC_ISSUER_MISSING: {
    status: 403,
    hint: 'The provider advertises authorization_response_iss_parameter_supported, so its authorization response must carry iss (RFC 9207 2.4); this one has none: it may come from another provider (mix-up).',
  },
  OIDC_REFRESH_FAILED: {
    status: 403,
    hint: 'The refresh was refused: no refresh token is held for this session, or the token endpoint refused it (see the OAuth error).',
  },
  OIDC_REFRESH_SUBJECT_CHANGED: {
    status: 403,
    hint: "The ID token of a refresh must name the same sub as the session's first one (OIDC Core 12.2); the session was ended.",
  },
  OIDC_DISCOVERY_FAILED: {
    status: 403,
    hint: "The issuer's discovery document (/.well-known/openid-configuration) could not be read, or lacks the authorization or token endpoint; or configure the endpoints explicitly.",
  },
  OIDC_DISCOVERY_ISSUER_MISMATCH: {
    status: 403,
    hint: "The discovery document's issuer must equal the configured issuer exactly (OpenID Connect Discovery 4.3), trailing slash included.",
  },
  // Single sign-off: OIDC Back-Channel Logout tokens, also JWT token SSO's sign-off (core/jwt/logout-token.ts)
  LOGOUT_TOKEN_MISSING: {
    status: 400,
    hint: 'POST the logout token as the form field logout_token (application/x-www-form-urlencoded; Back-Channel Logout 2.5).',
  },
  LOGOUT_TOKEN_TYPE_INVALID: {
    status: 400,
    hint: 'A logout token is typed logout+jwt (or JWT); this one is typed as another kind of token.',
  },
  LOGOUT_TOKEN_EVENTS_INVALID: {
    status: 400,
    hint: 'The events claim must hold the member http://schemas.openid.net/event/backchannel-logout, whose value is a JSON object (Back-Channel Logout 2.4).',
  },
  LOGOUT_TOKEN_SUBJECT_MISSING: {
    status: 400,
    hint: 'A logout token names the subject (sub), the session (sid) or both; a client registered with backchannel_logout_session_required needs sid.',
  },
  LOGOUT_TOKEN_NONCE_FORBIDDEN: {
    status: 400,
    hint: 'A logout token must not carry a nonce (Back-Channel Logout 2.4): one that does could be an ID token replayed as a logout.',
  },
  LOGOUT_TOKEN_REPLAY: {
    status: 400,
    hint: 'This logout token (its jti) was already received, or it has no jti: a replay. Send a fresh token with a new jti.',
  },
  IDP_SESSION_REQUIRED: {
    status: 401,
    hint: 'The visitor is not signed in at the IdP; sign in there first (the JavaScript hand-over needs an IdP session).',
  },

  // Identifiers that become account keys at the SP (sp/accounts/exact-identifier.ts): SAML
  // NameID, JWT/OIDC sub and id, an agent's loginName and siteId.
  IDENTIFIER_LOOK_ALIKE: {
    status: 403,
    hint: 'The identifier has white space at its start or end, or an invisible or control character (NBSP, U+3000, BOM, zero-width or bidi characters…), so it could pass for another; identifiers are compared exactly and never trimmed. The IdP must send the exact value; the page shows it escaped, e.g. carol\\u3000.',
  },

  // Reference SP
  SP_RETURN_URL_REJECTED: {
    status: 400,
    hint: 'Only same-origin paths (starting with a single "/") are honoured as return URLs.',
  },
  SP_SESSION_REQUIRED: { status: 401, hint: 'Sign in first.' },
  SP_AUTHN_CONTEXT_INSUFFICIENT: {
    status: 403,
    hint: 'The campaign or agent site requires an authentication context (authnContext) and the IdP stated a weaker one, or none (SAML AuthnContextClassRef, OIDC and JWT acr): sign in at the IdP with the factor asked for, or have the IdP state the context it used.',
  },
  SP_AUTHN_CONTEXT_UNAVAILABLE: {
    status: 403,
    hint: 'The IdP could not sign the user in with the authentication context required (SAML NoAuthnContext, OIDC unmet_authentication_requirements): typically the user has no second factor at the IdP. Enrol one there, or sign in as a user who has one.',
  },
  SP_REQUIRED_ATTRIBUTE_MISSING: {
    status: 403,
    hint: 'The campaign marks a mapped attribute as required and the IdP did not send it; release the attribute at the IdP (or drop "required" from the mapping).',
  },
  SP_ALREADY_SIGNED_IN: {
    status: 403,
    hint: 'This browser is signed in as another person; sign out first, then sign in as the new one.',
  },
  SP_TRANSIENT_NAMEID_UNMAPPED: {
    status: 403,
    hint: 'A transient NameID changes at every sign-in, so it cannot identify an account. Map an attribute that names the user for good to the field id (e.g. `{ attribute: uid, field: id }`, or its urn:oid:0.9.2342.19200300.100.1.1 name), or have the IdP send a persistent NameID.',
  },
  SP_ACCOUNT_EMAIL_CONFLICT: {
    status: 403,
    hint: 'The email address the IdP sent belongs to another account (another external ID, or another IdP). Accounts are never merged silently: fix the address at the IdP or in the other account, or, for an account made before SSO, let the campaign link it by verified email (accounts.linkByEmail).',
  },
  SP_ACCOUNT_USERNAME_TAKEN: {
    status: 400,
    hint: 'Another account already uses this username; choose another.',
  },
  SP_ACCOUNT_USERNAME_INVALID: {
    status: 400,
    hint: 'A username is 2 to 40 letters, digits, ".", "_" or "-".',
  },
  SP_ACCOUNT_EMAIL_INVALID: {
    status: 400,
    hint: 'Enter one email address, such as ann@example.com.',
  },
  SP_SIGN_IN_REQUIRED: {
    status: 403,
    hint: 'This campaign only talks to signed-in visitors: sign in with your account first.',
  },
  SP_SIGN_IN_EXPIRED: {
    status: 400,
    hint: 'The sign-in waiting for your email or username expired or was already finished; sign in again.',
  },
  SP_CONVERSATION_NOT_FOUND: {
    status: 404,
    hint: 'No open conversation here; start one from the messenger.',
  },
  SP_SURVEY_INVALID: {
    status: 400,
    hint: 'A required pre-chat survey field is empty or a value is too long.',
  },
  SP_MESSAGE_INVALID: {
    status: 400,
    hint: 'A message is 1 to 4,000 characters.',
  },

  // `ssoproof sp`: the reference SP against the user's own IdP, with diagnostics (sp/diagnostics)
  SP_IDP_METADATA_INVALID: {
    status: 400,
    hint: 'The IdP metadata must hold an EntityDescriptor with an IDPSSODescriptor, a signing certificate (KeyDescriptor use="signing" or without use) and a SingleSignOnService; export the IdP\'s SAML 2.0 metadata again.',
  },
  SP_IDP_CERTIFICATE_EXPIRING: {
    status: 400,
    hint: 'A warning: an IdP signing certificate expires within 30 days, or has expired (or is not yet valid). Roll over to the new certificate at the IdP and in the SP configuration before the old one expires.',
  },
  SP_CLOCK_OFFSET: {
    status: 400,
    hint: "A warning: the IdP's clock differs from the SP's by more than half the allowed skew; sync both with NTP before time checks start failing.",
  },
  SP_MAPPED_ATTRIBUTE_MISSING: {
    status: 400,
    hint: 'A warning: the data mapping names attributes (claims) the IdP did not send, so their fields stay empty. Release them at the IdP, or fix the attribute names in the mapping.',
  },
  SP_DIAGNOSTICS_NOT_FOUND: {
    status: 404,
    hint: 'No sign-in attempt has this ID; only the latest attempts are kept, and only while `ssoproof sp` runs. See /diagnostics.',
  },

  // Agent SSO at the reference SP (sp/agents): LivePerson unified login, Comm100 agent SSO. A
  // refused SSO sign-in sends the agent to the site's login-error page with ?reason=<code>.
  AGENT_SITE_UNKNOWN: {
    status: 400,
    hint: 'No agent SSO site has this site ID (account number); check the ID, or the SP configuration (agentSso.sites).',
  },
  AGENT_UNKNOWN: {
    status: 403,
    hint: 'The loginName (or, without one, the NameID or token subject) names no agent provisioned for this site. Agents are created beforehand (agentSso.agents, POST /admin/agents); a sign-in never creates one.',
  },
  AGENT_LOGIN_NAME_CASE_MISMATCH: {
    status: 403,
    hint: 'The loginName matches a provisioned agent only when case is ignored. Login names are case-sensitive: send it exactly as provisioned.',
  },
  AGENT_DISABLED: {
    status: 403,
    hint: 'This agent is disabled at the SP; an administrator must enable or re-create the agent.',
  },
  AGENT_SITE_MISMATCH: {
    status: 403,
    hint: 'The siteId the IdP sent is not the site the agent is signing in to; check the siteId attribute (or claim) at the IdP.',
  },
  AGENT_SSO_OFF: {
    status: 403,
    hint: 'SSO is off for this site: its agents sign in with their password at /agent/login.',
  },
  AGENT_PROTOCOL_MISMATCH: {
    status: 403,
    hint: "The site signs agents in with the other protocol (SAML or JWT); the IdP must use the site's protocol.",
  },
  AGENT_PASSWORD_LOGIN_OFF: {
    status: 403,
    hint: 'Agent SSO is on for this site, so password login is switched off for every agent: sign in with SSO. The admin API gives no agent of such a site a password (neither at creation nor by a reset).',
  },
  AGENT_PASSWORD_INVALID: { status: 401, hint: 'Unknown login name or wrong password.' },
  AGENT_SESSION_REQUIRED: { status: 401, hint: 'Sign in as an agent first, at /agent/login.' },
  AGENT_ALREADY_PROVISIONED: {
    status: 400,
    hint: 'The site already has an agent with this loginName (compared case-sensitively).',
  },
  AGENT_CERTIFICATE_NOT_SHA256: {
    status: 400,
    hint: 'The IdP certificate of an agent SSO site must be signed with SHA-256 (SHA-384 and SHA-512 are accepted too); SHA-1 and MD5 certificates are refused. Ask the IdP for a SHA-256 certificate.',
  },
  AGENT_CERTIFICATE_EXPIRING: {
    status: 400,
    hint: 'A warning, never a refusal: the IdP certificate of an agent SSO site expires within 30 days, or has expired. Configure the renewed certificate a month before the current one expires.',
  },

  // Who may ask (core/http/guard): every request names a Host the server was started for; admin
  // calls are JSON from the same origin (and carry the admin token when one is set); a browser's
  // state-changing POST comes from the app's own page, with the form token that page holds.
  HOST_NOT_ALLOWED: {
    status: 421,
    hint: 'The request names a Host this server was not started for (DNS rebinding, or a proxy that rewrites Host). Use the URL the server printed at start, or start it with that host in its base URL (--base-url, --idp-base-url, --sp-base-url).',
  },
  CROSS_SITE_REQUEST_REFUSED: {
    status: 403,
    hint: "Another site (or another port of this host) sent this request: its Origin or Sec-Fetch-Site is not this server's own. State-changing requests and admin calls are accepted only from the server's own pages, or from scripts that send no Origin.",
  },
  FORM_TOKEN_INVALID: {
    status: 403,
    hint: "The form's token is missing or does not match this browser's: the form did not come from this server's page, or it is older than the browser's cookies. Reload the page and send the form again.",
  },
  ADMIN_TOKEN_REQUIRED: {
    status: 401,
    hint: 'This server was started with an admin token (--admin-token or SSOPROOF_ADMIN_TOKEN): admin calls need the header "Authorization: Bearer <token>".',
  },
  ADMIN_JSON_REQUIRED: {
    status: 415,
    hint: 'Admin calls with a body take JSON only: send "Content-Type: application/json".',
  },
  OUTBOUND_HOST_NOT_ALLOWED: {
    status: 403,
    hint: 'The URL points at a host outbound fetches may not reach: link-local (169.254.0.0/16, fe80::/10), private (10/8, 172.16/12, 192.168/16, fc00::/7) and other special-purpose addresses are refused unless allowed (--allow-fetch-host, allowedFetchHosts); loopback and public addresses are allowed. Redirects are checked the same way.',
  },
  METADATA_FETCH_FAILED: {
    status: 400,
    hint: 'The metadata URL gave no SAML SP metadata: nothing answered, the answer was not 200, not metadata, too large or too slow. The reason is deliberately not told apart (no port scanning through the admin API); fetch the URL yourself and post {"metadata": "<xml>"} to see what it answers.',
  },

  // Configuration and admin API
  CONFIG_INVALID: {
    status: 400,
    hint: 'A setting or a file it names is invalid: the message and the evidence say which (a file, or the dotted path of a setting) and what is wrong with it.',
  },
  SCENARIO_INVALID: {
    status: 400,
    hint: 'A scenario file does not match the format; each issue names file:line and the path. See scenarios/README.md.',
  },
  SCENARIO_TIMEOUT: {
    status: 500,
    hint: 'A scenario run took longer than the per-run limit of ssoproof run (--run-timeout, 120 s by default) and was stopped; the other runs went on. Run it alone with --grep to see where it stalls.',
  },
  REPORT_INVALID: {
    status: 400,
    hint: 'ssoproof merge-reports takes the report.json of `ssoproof run` (one per shard, each once); the evidence names the file and what is wrong with it.',
  },
  STORE_UNUSABLE: {
    status: 500,
    hint: "ssoproof keeps the IdP's and the SP's state in SQLite files in the --data folder (idp.sqlite and sp.sqlite; standalone-sp.sqlite for `ssoproof sp`), and the file named cannot be used as the reason says. It is left as it was: ssoproof never rewrites or deletes a file it cannot read, which may hold sessions, registrations and users you want. Move it aside or give another --data folder; a file written by a newer ssoproof needs that version; a locked file is held by another process still running over the same folder.",
  },
  STORE_DRIVER_UNAVAILABLE: {
    status: 500,
    hint: "ssoproof keeps its stores in SQLite through better-sqlite3, whose native module npm builds when it installs the package. npm 12 runs a dependency's install script only once the project approves it: `npm install-scripts approve better-sqlite3`, then `npm rebuild better-sqlite3`. After a Node.js upgrade, `npm rebuild better-sqlite3` alone. Where no prebuilt binary fits, the build needs python3, make and a C++ compiler.",
  },
  NOT_FOUND: { status: 404, hint: 'No such page.' },
  REQUEST_BODY_INCOMPLETE: {
    status: 400,
    hint: 'The client closed or reset the connection before the request body was complete; nothing was processed. Send the request again.',
  },
  URL_TOO_LONG: {
    status: 414,
    hint: 'The request URL exceeds the size cap (64 KiB); see README "Limits".',
  },
  INTERNAL: {
    status: 500,
    hint: 'An unexpected error; please report it with the steps to reproduce.',
  },
} as const satisfies Record<
  string,
  { status: 400 | 401 | 403 | 404 | 413 | 414 | 415 | 421 | 500; hint: string }
>

export type ErrorCode = keyof typeof errorCodes
