// Shelter status colours, shared by the map, the list and the cards (kept apart from the map so the first script
// a resident loads does not pull in the map library).
export const STATUS_COLOURS: Record<string, string> = {
  open: '#13713a',
  full: '#7b1fa2',
  locked: '#b34700',
  closed: '#b3261e',
  unknown: '#5f6368',
};
