// Which column of a foreign registry holds which shelter field. Real registries name columns in their own
// language, with typos and units; headers are normalised (case, accents, punctuation) and matched against synonyms,
// then, failing that, by a small edit distance.

export const IMPORT_FIELDS = [
  'sourceId', 'name', 'address', 'capacity', 'lat', 'lon', 'kind', 'protectionClass', 'stepFree', 'operator',
  'contact', 'status', 'access', 'keyHolderPhone', 'water', 'toilet', 'ventilation', 'power', 'petsAllowed', 'town',
  'entrance', 'floor', 'openingHours', 'link', 'mapLink',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

// Ordered by preference: when several columns match one field, the one whose synonym comes first wins.
export const SYNONYMS: Record<ImportField, string[]> = {
  sourceId: ['id', 'shelterid', 'sourceid', 'shelterno', 'shelternumber', 'shelternr', 'romnr', 'objectid', 'fid', 'gid', 'ref', 'nr', 'no', 'number', 'nummer', 'numero', 'numer', 'номер', 'tunnus', 'kode', 'code'],
  name: ['name', 'sheltername', 'navn', 'nimi', 'namn', 'nom', 'nombre', 'назва', 'название', 'שם', 'title', 'label'],
  address: ['address', 'adresse', 'addresse', 'adress', 'streetaddress', 'addresslabel', 'addressforthemap', 'addr', 'osoite', 'adres', 'адреса', 'адрес', 'כתובת', 'street', 'gade', 'vej'],
  capacity: ['capacity', 'plasser', 'pladser', 'antalplatser', 'antalpladser', 'platser', 'places', 'persons', 'personer', 'kapacitet', 'kapasitet', 'kapazitaet', 'kapazitat', 'capacite', 'capacidad', 'capacita', 'seats', 'paikat', 'vaestonsuojapaikat', 'suojapaikat', 'місткість', 'вместимость', 'קיבולת', 'maxoccupancy', 'occupancy', 'spaces', 'pojemnosc'],
  lat: ['lat', 'latitude', 'latitud', 'breitengrad', 'breddegrad', 'leveys', 'широта', 'wgs84lat', 'ylat', 'y', 'ycoord', 'ycoordinate', 'ycoordinates', 'yaxis', 'yaxiscoordinates', 'ykoordinat'],
  lon: ['lon', 'lng', 'long', 'longitude', 'longitud', 'laengengrad', 'laengdegrad', 'lengdegrad', 'pituus', 'довгота', 'долгота', 'wgs84lon', 'xlon', 'x', 'xcoord', 'xcoordinate', 'xcoordinates', 'xaxis', 'xaxiscoordinates', 'xkoordinat'],
  kind: ['kind', 'type', 'sheltertype', 'shelterkind', 'typ', 'art', 'tyyppi', 'тип', 'סוג'],
  protectionClass: ['protectionclass', 'class', 'klasse', 'klass', 'beskyttelsesklasse', 'luokka', 'suojausluokka', 'protection'],
  stepFree: ['stepfree', 'wheelchair', 'accessible', 'accessibility', 'handicapvenlig', 'esteeton', 'barrierefrei'],
  operator: ['operator', 'owner', 'ejer', 'eier', 'omistaja', 'operatedby', 'management', 'manager', 'responsible'],
  contact: ['contact', 'phone', 'telephone', 'telefon', 'tel', 'puhelin', 'email', 'contactphone'],
  status: ['status', 'state', 'livestatus'],
  access: ['access', 'adgang', 'accesstype'],
  keyHolderPhone: ['keyholderphone', 'keyholder', 'noeglebaerer', 'keyphone'],
  water: ['water', 'vand', 'vesi'],
  toilet: ['toilet', 'toilets', 'wc'],
  ventilation: ['ventilation', 'ilmanvaihto'],
  power: ['power', 'electricity', 'stroem', 'strom', 'sahko'],
  petsAllowed: ['petsallowed', 'pets', 'dyr', 'lemmikit'],
  // The shelter card (issue 14). OSM's own keys (opening_hours, level, website, contact:website) are among them.
  entrance: ['entrance', 'entrancedescription', 'entry', 'wayin', 'entree', 'indgang', 'inngang', 'ingang', 'sisaankaynti', 'eingang', 'zugang', 'entrada', 'ingresso', 'wejscie', 'вхід', 'вход', 'כניסה', 'مدخل'],
  floor: ['floor', 'level', 'storey', 'story', 'floornumber', 'etage', 'etasje', 'vaning', 'kerros', 'geschoss', 'stockwerk', 'piso', 'planta', 'pietro', 'поверх', 'этаж', 'קומה', 'طابق'],
  openingHours: ['openinghours', 'hours', 'openhours', 'opening', 'aabningstider', 'abningstider', 'apningstider', 'oppettider', 'aukioloajat', 'offnungszeiten', 'oeffnungszeiten', 'horario', 'horaires', 'orari', 'годинироботи', 'графікроботи', 'часыработы', 'режимработы', 'שעותפתיחה', 'ساعاتالعمل'],
  link: ['url', 'website', 'link', 'links', 'web', 'homepage', 'www', 'weblink', 'contactwebsite', 'moreinfo', 'infourl', 'hjemmeside', 'nettside', 'webbplats', 'verkkosivu', 'webseite', 'sitioweb', 'siteweb', 'саит', 'вебсаит', 'אתר', 'موقع'],
  mapLink: ['waze', 'wazelink', 'wazeurl', 'maplink', 'mapurl', 'navigation', 'navigationlink', 'googlemaps', 'googlemapslink', 'gmaps', 'directionsurl'],
  town: ['sted', 'town', 'city', 'by', 'postaltown', 'postby', 'kaupunki', 'місто', 'город', 'עיר'],
};

export function normaliseHeader(h: string): string {
  return h.replace(/^\uFEFF/, '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLocaleLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'oe').replace(/å/g, 'aa').replace(/[^\p{L}\p{N}]/gu, '');
}

function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

export interface ColumnMapping {
  /** field -> column name as it appears in the file */
  fields: Partial<Record<ImportField, string>>;
  /** how each mapped column was recognised, for the report */
  notes: string[];
  ignored: string[];
}

/**
 * Maps columns to fields. `overrides` (from --map column=field, field "-" to ignore a column) win over guesses.
 * Throws on an override naming an unknown column or field.
 */
export function mapColumns(headers: string[], overrides: Record<string, string> = {}): ColumnMapping {
  const fields: Partial<Record<ImportField, string>> = {};
  const notes: string[] = [];
  const taken = new Set<string>();
  for (const [column, field] of Object.entries(overrides)) {
    if (!headers.includes(column)) throw new Error(`--map names column "${column}", which the file does not have (columns: ${headers.join(', ')})`);
    taken.add(column);
    if (field === '-') continue;
    if (!(IMPORT_FIELDS as readonly string[]).includes(field)) throw new Error(`--map ${column}=${field}: unknown field "${field}" (fields: ${IMPORT_FIELDS.join(', ')})`);
    fields[field as ImportField] = column;
  }
  const norm = new Map(headers.map((h) => [h, normaliseHeader(h)]));
  for (const field of IMPORT_FIELDS) {
    if (fields[field]) continue;
    let best: { column: string; rank: number; fuzzy: boolean } | null = null;
    for (const h of headers) {
      if (taken.has(h)) continue;
      const n = norm.get(h)!;
      const rank = SYNONYMS[field].indexOf(n);
      if (rank >= 0 && (!best || best.fuzzy || rank < best.rank)) best = { column: h, rank, fuzzy: false };
      else if (rank < 0 && !best && n.length >= 6) {
        const max = n.length >= 9 ? 2 : 1;
        const hit = SYNONYMS[field].findIndex((s) => s.length >= 5 && editDistance(n, s, max) <= max);
        if (hit >= 0) best = { column: h, rank: 100 + hit, fuzzy: true };
      }
    }
    if (best) {
      fields[field] = best.column;
      taken.add(best.column);
      if (best.fuzzy || best.rank > 0) notes.push(`"${best.column}" read as ${field}${best.fuzzy ? ' (close spelling)' : ''}`);
    }
  }
  return { fields, notes, ignored: headers.filter((h) => !taken.has(h)) };
}
