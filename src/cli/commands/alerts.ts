// Alert commands:
// - `refuge import cap FILE`: records a CAP 1.1/1.2 message from another authority in the database, under the same
//   rules as POST /api/alerts/import (src/alerts/lifecycle recordImported): an Actual message goes live only when its
//   sender is a trusted authority whose signature verifies; otherwise it waits for an approver's approval. A running
//   server on the same database delivers what goes live from the outbox within a second; otherwise the next start does.
// - `refuge alerts trust add|list|remove`: the trusted authorities (host access to the database only, never HTTP).
// - `refuge verify FILE`: a signed CAP document, or a signed alert payload (JSON, as published on MQTT).
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import type { KeyObject } from 'node:crypto';
import type { Command } from 'commander';
import type { CliGroups } from '../groups.ts';
import { DEFAULT_DB, fail, openCliServices } from '../groups.ts';
import type { StoreFlags } from '../../app/compose.ts';
import { loadSettings } from '../../app/config.ts';

export function registerAlertCommands(cli: CliGroups): void {
  cli.import.command('cap')
    .description('import a CAP 1.1/1.2 message from another authority; an Actual message goes live only from a trusted authority with a valid signature (`refuge alerts trust`), otherwise it waits for an approver (other than the importer) to approve it; expired or non-public ones are kept for the record')
    .argument('<file>', 'CAP XML document (at most 256 KB; no DOCTYPE or entities)')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--json', 'print the result as one JSON object')
    .action(async (file: string, o: StoreFlags & { json?: boolean }) => {
      // Loaded here: the XML schema engine takes a second to start, and other commands do not need it.
      const { loadRegionIndex } = await import('../../app/compose.ts');
      const { assessImportTrust, capToXml, CapError, createCapSigner, importCap, loadOrCreateSigningKey } = await import('../../alerts/index.ts');
      const { AlertLifecycle, LifecycleError } = await import('../../alerts/lifecycle/index.ts');
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        fail(`${file}: ${(e as Error).message}`, 2);
      }
      let parsed;
      try {
        parsed = importCap(bytes);
      } catch (e) {
        if (e instanceof CapError) fail(`${file}: ${e.message}${e.element ? ` (element ${e.element})` : ''}`);
        throw e;
      }
      const svc = await openCliServices(o, { loadRegistry: false });
      try {
        const regions = await loadRegionIndex(svc.store);
        const trusted = svc.store.trust;
        const lifecycle = new AlertLifecycle({
          store: svc.store.alerts, regions: { region: (c) => regions.get(c) }, emitCap: capToXml,
          signer: createCapSigner(loadOrCreateSigningKey(svc.paths.signingKeyDir)), sender: svc.settings.capSender,
          senderName: svc.settings.capSenderName, importTrust: (cap, xml) => assessImportTrust(cap, xml, trusted),
        });
        // Whoever can run the CLI on the database file has full access to it: recorded as an admin action. It is still
        // one person: an untrusted Actual message waits for an approver's approval (console or POST /api/alerts/:id/approve).
        const actor = { name: `cli:${userInfo().username}`, role: 'admin' };
        const r = await lifecycle.recordImported(actor, parsed.alert, bytes.toString('utf8'), `file ${basename(file)}`);
        const summary = {
          id: r.record.id, identifier: parsed.alert.identifier, sender: parsed.alert.sender, capVersion: parsed.version, delivered: r.delivered,
          pendingApproval: r.pendingApproval, trusted: r.trust.trusted, trustedAuthority: r.trust.authority?.name ?? null, notDeliveredBecause: r.reason, seq: r.seq,
        };
        const outcome = r.delivered ? `queued for delivery as event ${r.seq}${r.trust.trusted ? ` (signed by trusted authority ${r.trust.authority!.name})` : ''}`
          : r.pendingApproval ? `NOT delivered: ${r.reason}; an approver approves it with POST /api/alerts/${r.record.id}/approve or in the console`
            : `kept for the record, not delivered: ${r.reason}`;
        process.stdout.write(o.json ? `${JSON.stringify(summary)}\n` : `imported ${summary.identifier} from ${summary.sender} as ${summary.id} (CAP ${summary.capVersion}): ${outcome}\n`);
      } catch (e) {
        // A forged or tampered message in a trusted authority's name is said as a warning (exit 1, nothing stored).
        if (e instanceof LifecycleError && e.code === 'CAP_SIGNATURE_INVALID') fail(`warning: ${file}: CAP import ${e.message}`);
        if (e instanceof LifecycleError) fail(`${file}: ${e.message}${e.field ? ` (element ${e.field})` : ''}`);
        throw e;
      } finally {
        await svc.close();
      }
    });

  registerTrustCommands(cli.program.command('alerts').description('alert settings kept in the database'));
  registerVerify(cli);
}

function registerTrustCommands(alerts: Command): void {
  const trust = alerts.command('trust')
    .description('trusted authorities: their signed CAP messages go live on import without a second approval (see docs/alerts.md, "Imports and trust")');

  trust.command('add')
    .description('trust an authority: its CAP messages with this <sender> go live on import when their XML signature verifies against this key (an existing sender is replaced)')
    .requiredOption('--sender <sender>', 'the authority\'s CAP <sender>, e.g. alerts@oblast.example.gov.ua')
    .requiredOption('--name <name>', 'the name residents see on its alerts')
    .requiredOption('--key <file>', 'its Ed25519 public key (PEM, SPKI), obtained from the authority over a trusted channel')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--json', 'print the result as JSON')
    .action(async (o: StoreFlags & { sender: string; name: string; key: string; json?: boolean }) => {
      const { trustedAuthority } = await import('../../alerts/signing/index.ts');
      let pem: string;
      try {
        pem = readFileSync(o.key, 'utf8');
      } catch (e) {
        fail(`--key ${o.key}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
      }
      const sender = loadSettings().capSender;
      if (o.sender.trim().toLowerCase() === sender.toLowerCase()) fail(`--sender ${o.sender} is this Refuge's own sender; it cannot be a trusted foreign authority`);
      let authority;
      try {
        authority = trustedAuthority({ sender: o.sender, name: o.name, publicKeyPem: pem, addedBy: `cli:${userInfo().username}`, addedAt: new Date().toISOString() });
      } catch (e) {
        fail((e as Error).message);
      }
      const svc = await openCliServices(o, { loadRegistry: false });
      try {
        const repo = svc.store.trust;
        const replaced = (await repo.find(authority.sender)) !== null;
        await repo.put(authority);
        const out = { sender: authority.sender, name: authority.name, keyId: authority.keyId, replaced };
        process.stdout.write(o.json ? `${JSON.stringify(out)}\n` : `${replaced ? 'replaced' : 'added'} trusted authority ${out.sender} ("${out.name}"), key ${out.keyId}\n`);
      } finally {
        await svc.close();
      }
    });

  trust.command('list')
    .description('list the trusted authorities')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--json', 'print the list as JSON')
    .action(async (o: StoreFlags & { json?: boolean }) => {
      const svc = await openCliServices(o, { loadRegistry: false });
      try {
        const list = (await svc.store.trust.list()).map((a) => ({ sender: a.sender, name: a.name, keyId: a.keyId, addedBy: a.addedBy, addedAt: a.addedAt }));
        if (o.json) process.stdout.write(`${JSON.stringify(list)}\n`);
        else if (list.length === 0) process.stdout.write('no trusted authorities: every imported Actual alert waits for a second approval\n');
        else for (const a of list) process.stdout.write(`${a.sender}\t${a.name}\tkey ${a.keyId}\tadded ${a.addedAt} by ${a.addedBy}\n`);
      } finally {
        await svc.close();
      }
    });

  trust.command('remove')
    .description('stop trusting an authority (its alerts already delivered stay until they end or are cancelled)')
    .requiredOption('--sender <sender>', 'the authority\'s CAP <sender>')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .action(async (o: StoreFlags & { sender: string }) => {
      const svc = await openCliServices(o, { loadRegistry: false });
      try {
        if (!(await svc.store.trust.remove(o.sender))) fail(`${o.sender} is not a trusted authority`);
        process.stdout.write(`removed trusted authority ${o.sender}\n`);
      } finally {
        await svc.close();
      }
    });
}

/**
 * `refuge verify FILE`: a signed CAP document (XML) or a signed alert payload (JSON, as published on MQTT). Registered
 * by src/cli/commands/regions.ts for CAP first; this replaces its action with one that reads both.
 */
function registerVerify(cli: CliGroups): void {
  const existing = cli.program.commands.find((c) => c.name() === 'verify');
  const verify = existing ?? cli.program.command('verify')
    .argument('<file>', 'CAP XML file (with its embedded signature, or give --signature) or an alert payload JSON file (MQTT)')
    .option('--key <file>', 'trusted public key (PEM), e.g. saved from /.well-known/refuge-signing-key')
    .option('--db <path>', 'use the signing key of this Refuge database (when --key is not given; default ./refuge.db)')
    .option('--signature <base64>', 'detached signature, for a CAP document without an embedded one')
    .option('--json', 'print the result as JSON');
  verify.description('check the Ed25519 signature of a CAP file, or of an alert payload as published on MQTT (JSON), offline; exits 0 only when it holds');
  verify.action(async (file: string, o: StoreFlags & { key?: string; signature?: string; json?: boolean }) => {
    // Loaded here: the XML schema engine takes a second to start, and no other command needs it.
    const { keyIdOf, loadPublicKey, publicKeyFromPem, verifyCap, verifyPayload } = await import('../../alerts/signing/index.ts');
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
    }
    let key: KeyObject | null;
    let keySource: string;
    try {
      if (o.key) {
        key = publicKeyFromPem(readFileSync(o.key, 'utf8'), o.key);
        keySource = o.key;
      } else {
        // The key the store's servers sign with, found without opening the store (verifying is offline).
        const { storeLocation } = await import('../../app/compose.ts');
        const { dataPaths } = await import('../../app/paths.ts');
        const { redactUrl } = await import('../../store/open-store.ts');
        const settings = loadSettings();
        const location = storeLocation(o, settings, DEFAULT_DB);
        const dir = dataPaths(location, o.dataDir ?? settings.dataDir).signingKeyDir;
        if (!existsSync(dir)) fail(`no signing key for database ${redactUrl(location)} (looked in ${dir}); pass --key FILE`, 2);
        key = loadPublicKey(dir);
        keySource = dir;
      }
    } catch (e) {
      fail((e as Error).message, 2);
    }
    if (!key) fail(`no signing key in ${keySource}; pass --key FILE`, 2);

    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    if (/^\s*\{/.test(text)) {
      // An alert payload (MQTT): JSON with "payloadSignature".
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch (e) {
        fail(`${file}: not JSON: ${(e as Error).message}`);
      }
      const result = verifyPayload(payload, key);
      if (o.json) process.stdout.write(JSON.stringify({ file, format: 'payload', ...result, trustedKeyId: keyIdOf(key) }) + '\n');
      if (!result.valid) {
        if (!o.json) process.stderr.write(`NOT VERIFIED: ${file}: ${result.reason}\n`);
        process.exitCode = 1;
        return;
      }
      if (!o.json) {
        const p = payload as Record<string, unknown>;
        const exercise = p.status === 'Actual' ? '' : ` [${String(p.status).toUpperCase()}]`;
        const from = p.foreign === true ? `another authority: ${String(p.senderName ?? p.sender)}, relayed by Refuge` : String(p.senderName ?? p.sender);
        process.stdout.write(`verified: ${file} is an alert payload signed by trusted key ${keyIdOf(key)} (Ed25519): ${String(p.msgType)} ${String(p.identifier)} from ${from}, sent ${String(p.sent)}, expires ${String(p.expires)}${exercise}\n`);
      }
      return;
    }

    const { parseCap } = await import('../../alerts/cap/index.ts');
    const result = verifyCap(bytes, o.signature ?? null, key);
    if (o.json) process.stdout.write(JSON.stringify({ file, ...result, trustedKeyId: keyIdOf(key) }) + '\n');
    if (!result.valid) {
      if (!o.json) process.stderr.write(`NOT VERIFIED: ${file}: ${result.reason}\n`);
      process.exitCode = 1;
      return;
    }
    if (!o.json) {
      const cap = parseCap(bytes);
      const exercise = cap.status === 'Actual' ? '' : ` [${cap.status.toUpperCase()}]`;
      process.stdout.write(`verified: ${file} is signed by trusted key ${keyIdOf(key)} (Ed25519): ${cap.msgType} ${cap.identifier} from ${cap.sender}, sent ${cap.sent}${exercise}\n`);
    }
  });
}
