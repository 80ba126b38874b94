// CAP date-times: "YYYY-MM-DDThh:mm:ss+hh:mm", no fractional seconds, no "Z"; UTC is written "-00:00" (CAP 1.2 §3.3.2).

const CAP_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[-+]\d{2}:\d{2}$/;

export function isCapDateTime(value: string): boolean {
  return CAP_DATETIME.test(value) && !Number.isNaN(Date.parse(value));
}

/** Keeps a value already in CAP form (and its offset); otherwise converts an ISO 8601 instant to UTC in CAP form. */
export function toCapDateTime(value: string | Date): string {
  if (typeof value === 'string' && isCapDateTime(value)) return value;
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date-time: ${String(value)}`);
  return `${date.toISOString().slice(0, 19)}-00:00`;
}
