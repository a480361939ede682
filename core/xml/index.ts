export {
  attr,
  childElements,
  findElementsById,
  firstChildElement,
  localNameOf,
  ownerDocumentOf,
  textContent,
} from './dom.ts'
export { type XmlLimits, xmlLimits } from './limits.ts'
export { ns } from './namespaces.ts'
export { parseXml } from './parse.ts'
export { serializeXml } from './serialize.ts'
