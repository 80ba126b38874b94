// One copy of the strings that most shelters share (kinds, statuses, the source's name, an import's timestamps), for
// the stores' row mappers. A driver makes a new string for every value of every row, so 200,000 shelters read back
// carried 200,000 copies of "basement", "unknown" and the same two timestamps: ~45 MB of the registry's copy in memory.
const MAX = 20_000; // distinct values kept before starting over: a bound, not a cache policy (names are not shared)
let seen = new Map<string, string>();

export function shared<T extends string | null>(value: T): T {
  if (value === null || value.length > 64) return value;
  const known = seen.get(value);
  if (known !== undefined) return known as T;
  if (seen.size >= MAX) seen = new Map();
  seen.set(value, value);
  return value;
}
