// The generated registry both the import benchmark and the import memory test use: ROWS shelters in the Danish
// register's CSV shape (semicolons, decimal commas, quoted "capacity.0"); `changed` alters every tenth capacity, for a
// re-import with 10 % changed.
import { writeFileSync } from 'node:fs';

export function writeBigRegistryCsv(file: string, rows: number, changed: boolean): void {
  const lines = ['id;navn;plasser;breddegrad;laengdegrad;adresse;type'];
  for (let i = 0; i < rows; i++) {
    const capacity = (i % 900) + 20 + (changed && i % 10 === 0 ? 5 : 0);
    lines.push(`${i};Beskyttelsesrum ${i};"${capacity}.0";${(55.6 + (i % 997) / 10000).toFixed(6).replace('.', ',')};${(12.5 + Math.floor(i / 997) / 10000).toFixed(6).replace('.', ',')};Gade ${i % 300}, København;Kælder`);
  }
  writeFileSync(file, lines.join('\n'));
}
