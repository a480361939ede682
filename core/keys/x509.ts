/**
 * The one place that loads @peculiar/x509. Its dependency injection container (tsyringe)
 * needs the Reflect metadata polyfill in place before the library is evaluated, so the
 * polyfill is imported first, here, and every user of the library imports from this file.
 */
import 'reflect-metadata'

export {
  BasicConstraintsExtension,
  Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
} from '@peculiar/x509'
