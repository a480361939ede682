export {
  attr,
  childElements,
  cloneElement,
  descendantsNamed,
  findElementsById,
  firstChildElement,
  isElement,
  isText,
  localNameOf,
  ownerDocumentOf,
  rootElement,
  textContent,
} from './dom.ts'
export { type XmlLimits, xmlLimits } from './limits.ts'
export { ns } from './namespaces.ts'
export { parseXml, type XmlDocument } from './parse.ts'
export { serializeXml } from './serialize.ts'
