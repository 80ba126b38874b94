// JSON schemas of the shelter API; they validate input at the edge and make the OpenAPI document.
import { ACCESS_TYPES, LINK_LIMITS, MAX_CAPACITY, MAX_LINKS, MAX_OCCUPANCY, TEXT_LIMITS, OCCUPANCY_STATUSES, PROTECTION_CLASSES, SHELTER_KINDS, SHELTER_STATUSES } from '../../registry/index.ts';

const nullableString = { type: ['string', 'null'] } as const;
const text = (max: number) => ({ type: ['string', 'null'], maxLength: max }) as const;
const nullableBool = { type: ['boolean', 'null'] } as const;

export const amenitiesSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { water: nullableBool, toilet: nullableBool, ventilation: nullableBool, power: nullableBool, petsAllowed: nullableBool },
} as const;

export const shelterInputProperties = {
  name: { type: 'string', minLength: 1, maxLength: TEXT_LIMITS.name },
  address: text(TEXT_LIMITS.address),
  lat: { type: 'number', minimum: -90, maximum: 90 },
  lon: { type: 'number', minimum: -180, maximum: 180 },
  capacity: { type: ['integer', 'null'], minimum: 0, maximum: MAX_CAPACITY },
  kind: { type: 'string', enum: [...SHELTER_KINDS] },
  protectionClass: { type: 'string', enum: [...PROTECTION_CLASSES], description: 'A full value, B renewable, C withdrawn' },
  stepFree: nullableBool,
  amenities: amenitiesSchema,
  operator: text(TEXT_LIMITS.operator),
  contact: text(TEXT_LIMITS.contact),
  access: { type: 'string', enum: [...ACCESS_TYPES] },
  keyHolderPhone: text(TEXT_LIMITS.keyHolderPhone),
  entrance: { ...text(TEXT_LIMITS.entrance), description: 'How to find the way in' },
  floor: { ...text(TEXT_LIMITS.floor), description: 'The floor as text ("-2", "basement 2")' },
  openingHours: { ...text(TEXT_LIMITS.openingHours), description: 'Opening hours as text; an OSM opening_hours value is kept as given' },
  links: {
    type: 'array', maxItems: MAX_LINKS, description: 'Links the source gives (http:// or https:// only)',
    items: {
      type: 'object', additionalProperties: false, required: ['url'],
      properties: { url: { type: 'string', maxLength: LINK_LIMITS.url }, label: text(LINK_LIMITS.label) },
    },
  },
  status: { type: 'string', enum: [...SHELTER_STATUSES] },
} as const;

export const shelterCreateSchema = {
  type: 'object', additionalProperties: false, required: ['name', 'lat', 'lon'],
  properties: { ...shelterInputProperties, source: text(TEXT_LIMITS.source), sourceId: text(TEXT_LIMITS.sourceId) },
} as const;

export const shelterPatchSchema = { type: 'object', additionalProperties: false, minProperties: 1, properties: shelterInputProperties } as const;

export const shelterPropertiesSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, ...shelterInputProperties,
    amenities: { type: 'object', additionalProperties: true },
    statusSetAt: nullableString, statusSetBy: nullableString,
    occupancy: { type: ['integer', 'null'], minimum: 0, description: 'People inside now as last reported; null when never reported. May exceed capacity.' },
    occupancyAt: { type: ['string', 'null'], description: 'When occupancy was reported; clients decide when it is too old to trust (shown as stale, not dropped)' },
    occupancyBy: nullableString,
    lastVerifiedAt: nullableString, lastVerifiedBy: nullableString,
    source: nullableString, sourceId: nullableString, createdAt: { type: 'string' }, updatedAt: { type: 'string' },
    version: { type: 'integer' }, decommissionedAt: nullableString,
    photos: {
      type: 'array', description: 'Photos operators uploaded, in their order (fetch the bytes from url)',
      items: { type: 'object', properties: { id: { type: 'string' }, url: { type: 'string' }, contentType: { type: 'string' }, size: { type: 'integer' }, addedAt: { type: 'string' }, caption: { type: ['string', 'null'], description: 'What the photo shows, in the operator\'s words; null when none' } } },
    },
  },
} as const;

export const shelterFeatureSchema = {
  $id: 'ShelterFeature',
  type: 'object',
  properties: {
    type: { const: 'Feature' },
    id: { type: 'string' },
    geometry: { type: 'object', properties: { type: { const: 'Point' }, coordinates: { type: 'array', items: { type: 'number' } } } },
    properties: shelterPropertiesSchema,
  },
} as const;

export const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    bbox: { type: 'string', pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$', description: 'minLon,minLat,maxLon,maxLat (WGS84)' },
    status: { type: 'string', description: `comma-separated: ${SHELTER_STATUSES.join(', ')}` },
    kind: { type: 'string', description: `comma-separated: ${SHELTER_KINDS.join(', ')}` },
    minCapacity: { type: 'integer', minimum: 0 },
    stepFree: { type: 'boolean' },
    q: { type: 'string', maxLength: 200, description: 'text search in name, address and source id' },
    includeDecommissioned: { type: 'boolean', default: false },
    limit: { type: 'integer', minimum: 1, maximum: 20000, default: 5000 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
} as const;

/** POST /api/shelters/:id/occupancy. */
export const occupancyBodySchema = {
  type: 'object', additionalProperties: false, required: ['occupancy'],
  properties: {
    occupancy: { type: 'integer', minimum: 0, maximum: MAX_OCCUPANCY, description: 'People inside now; above capacity is accepted and answered with a warning' },
    status: { type: 'string', enum: [...OCCUPANCY_STATUSES], description: 'Also open the shelter or mark it full, in the same change' },
  },
} as const;

/** The shelter after the report, and what the reporter should know about the count against the capacity. */
export const occupancyAnswerSchema = {
  type: 'object',
  properties: {
    ...shelterFeatureSchema.properties,
    warnings: {
      type: 'array',
      description: 'OVER_CAPACITY: more people than places. AT_CAPACITY: every place taken and the shelter is not marked full (the status is never changed for you).',
      items: { type: 'object', properties: { code: { type: 'string', enum: ['OVER_CAPACITY', 'AT_CAPACITY'] }, field: { type: 'string' }, reason: { type: 'string' } } },
    },
  },
} as const;
