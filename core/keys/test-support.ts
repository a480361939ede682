/**
 * @peculiar/x509 for the tests, which make certificates the product never makes (SHA-1, ECDSA,
 * RSA-PSS signed) and read them back independently of core/keys. Its dependency injection
 * container (tsyringe) needs the Reflect metadata polyfill in place before the library is
 * evaluated, so the polyfill is imported first, here.
 */
import 'reflect-metadata'

export { X509Certificate, X509CertificateGenerator } from '@peculiar/x509'
