// `refuge import regions FILE` (`refuge verify` lives with the alert commands).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CliGroups } from '../groups.ts';
import { fail, openCliServices } from '../groups.ts';
import type { StoreFlags } from '../../app/compose.ts';
import { importRegionSource, parseRegionsGeoJson, RegionImportError } from '../../geo/index.ts';

export function registerRegionCommands(cli: CliGroups): void {
  cli.import.command('regions')
    .description(
      'import alert regions (GeoJSON Polygon/MultiPolygon features) with a name, a code, a warning time in seconds and an optional parent; ' +
        're-importing the same source replaces its regions. Fields are detected when not given (see docs/alerts.md).',
    )
    .argument('<file>', 'GeoJSON FeatureCollection')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--name-field <property>', 'property holding the region name (default: first of name, name_en, name_he, name_uk, ...)')
    .option('--code-field <property>', 'property holding a unique code (default: first unique of code, iso3166_2, ISO3166-2, id, segment, ...; else the name)')
    .option('--warning-time-field <property>', 'property with seconds to reach shelter (default: warning_time_s, migun_time_s, ...; none = unknown)')
    .option('--parent-field <property>', 'property with the parent region code (default: parent, parent_code; e.g. district_he)')
    .option('--source <name>', 'name of this region set; default: the file name')
    .option('--json', 'print the summary as one JSON object on stdout')
    .action(async (file: string, o: StoreFlags & { nameField?: string; codeField?: string; warningTimeField?: string; parentField?: string; source?: string; json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      let result;
      try {
        result = parseRegionsGeoJson(text, { nameField: o.nameField, codeField: o.codeField, warningTimeField: o.warningTimeField, parentField: o.parentField }, file);
      } catch (e) {
        if (e instanceof RegionImportError) fail(`${e.message}; nothing was imported`);
        throw e;
      }
      const source = o.source ?? basename(file).replace(/\.[^.]+$/, '');
      const svc = await openCliServices(o, { loadRegistry: false });
      let outcome;
      try {
        outcome = await importRegionSource(svc.store.regions, source, result.regions);
      } catch (e) {
        await svc.close();
        fail(`${file}: ${(e as Error).message}; nothing was imported`);
      }
      await svc.close();
      const summary = { file, ...outcome, imported: result.regions.length, skipped: result.skipped, fields: result.fields, codeFromName: result.codeFromName,
        withOtherNames: result.regions.filter((r) => r.names).length };
      if (o.json) {
        process.stdout.write(JSON.stringify(summary) + '\n');
        return;
      }
      for (const s of result.skipped) process.stderr.write(`skipped ${file}: feature ${s.index}${s.name ? ` (${s.name})` : ''}: ${s.reason}\n`);
      if (result.codeFromName) process.stderr.write('warning: no code field found; the region name is used as its code (pass --code-field to choose one)\n');
      if (!result.fields.warningTime) process.stderr.write('warning: no warning-time field found; warning times are unknown (pass --warning-time-field)\n');
      const f = result.fields;
      // Names in other languages (name:xx, name_xx): said, so a file whose names were missed is noticed.
      const named = result.regions.filter((r) => r.names).length;
      const languages = [...new Set(result.regions.flatMap((r) => Object.keys(r.names ?? {})))].sort();
      const which = languages.length <= 8 ? languages.join(', ') : `${languages.length} languages`;
      process.stdout.write(
        `imported ${result.regions.length} regions from ${file} as source "${source}" (${outcome.inserted} new, ${outcome.updated} updated, ${outcome.removed} removed, ` +
          `${result.skipped.length} skipped); fields: name=${f.name} code=${f.code ?? '(name)'} warning-time=${f.warningTime ?? '(none)'} parent=${f.parent ?? '(none)'}; ` +
          `names in other languages: ${named ? `${which} (${named} regions)` : 'none'}\n`,
      );
      // An account still naming a region this (or an earlier) import removed: the admin must act; said loudly.
      for (const g of outcome.accountsWithGoneCodes) {
        process.stderr.write(`warning: account ${g.account} has ${g.gone.join(',')} in its jurisdiction, no longer ${g.gone.length === 1 ? 'a region' : 'regions'}; ` +
          (g.left === 0
            ? 'none of its regions is left, so it can draft no alert until an admin sets its jurisdiction'
            : `it keeps ${g.left} other ${g.left === 1 ? 'region' : 'regions'}`) +
          ` (refuge admin set-jurisdiction --name ${g.account} --jurisdiction CODES)\n`);
      }
    });
}
