// CAP in and out: emit 1.2, parse 1.1/1.2 safely, validate against the OASIS schemas.
export { capToXml } from './emit.ts';
export { parseCap, parseCapDocument, importCap, isCapExpired, type ParsedCap, type ImportedCap } from './parse.ts';
export { validateCapXml, MAX_CAP_BYTES, CAP11_NS, CAP12_NS, type CapVersion } from './xml-guard.ts';
export { CapError, type CapErrorCode } from './errors.ts';
export { toCapDateTime, isCapDateTime } from './datetime.ts';
export {
  EVENT_TYPE_CAP,
  STAGE_CAP,
  categoryForEventType,
  REFUGE_EVENT_CODE,
  REFUGE_STAGE_PARAMETER,
  REFUGE_REGION_GEOCODE,
} from './event-mapping.ts';
