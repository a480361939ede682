/** Namespace URIs of SAML 2.0 (saml-core 1.2) and the specifications it builds on. */
export const ns = {
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xs: 'http://www.w3.org/2001/XMLSchema',
  soapenv: 'http://schemas.xmlsoap.org/soap/envelope/',
  /** SAML v2.0 Metadata Profile for Algorithm Support. */
  alg: 'urn:oasis:names:tc:SAML:metadata:algsupport',
  /** Shibboleth's metadata extensions (shibmd:Scope). */
  shibmd: 'urn:mace:shibboleth:metadata:1.0',
  ec: 'http://www.w3.org/2001/10/xml-exc-c14n#',
} as const
