// The alert workflow: an operator drafts, a different approver approves, and only approval issues the alert.
// Issuing commits the alert and its outbox row in one transaction (the store's job); the caller hears "issued"
// only after that commit returns, and delivery runs from the outbox.
import { randomUUID } from 'node:crypto';
import type { AlertRecord, CapAlert, CapInfo } from '../model.ts';
import { cancelWording } from './cancel-texts.ts';
import { buildAlertEvent } from './alert-event.ts';
import { capFromInput, capTime, checkXmlText, exerciseMark, markText, MAX_ALERT_LIFETIME_MS, parseDraftInput } from './draft-input.ts';
import { LifecycleError } from './errors.ts';
import { regionsOutside } from '../../accounts/jurisdiction.ts';
import type { Actor, AlertStore, CapEmitter, CapSigner, ImportTrustAssessment, ImportTrustCheck, RegionDirectory } from './ports.ts';

// Who may draft and approve: defined in src/api, where the console reads them too.
import { APPROVE_ROLES, DRAFT_ROLES } from '../../api/alerts.ts';
export { APPROVE_ROLES, DRAFT_ROLES };

/** Name recorded as the author of the false-alarm cancels the system prepares. */
export const SYSTEM_AUTHOR = 'refuge:prepared-cancel';

export interface LifecycleOptions {
  store: AlertStore;
  regions: RegionDirectory;
  emitCap: CapEmitter;
  signer: CapSigner;
  /** Verifies a signature over CAP XML with the published key; sets the event's verified flag. */
  verify?: (capXml: string, signature: string) => boolean;
  /** CAP <sender>, e.g. "alerts@refuge.example.org". No import may claim it. */
  sender: string;
  /** Name residents see on Refuge's own alerts (CAP <senderName>); no import may claim it either. */
  senderName?: string | null;
  /**
   * Decides whether an imported message comes from a configured trusted authority with a valid signature. Without
   * it, no import is trusted: every Actual import waits for a second person.
   */
  importTrust?: ImportTrustCheck;
  now?: () => number;
  newId?: () => string;
  /** Called after an outbox row is committed, to wake the outbox worker at once. */
  onCommitted?: (seq: number) => void;
  /** Where an observer's failure is reported (default console.error); it never fails the lifecycle's call. */
  log?: (msg: string, err?: unknown) => void;
}

/**
 * What the lifecycle tells its observers, after the commit: a draft now waits for a second person (`drafted`: a
 * draft, an ordinary Cancel, a pending import), or a waiting draft was decided (`decided`: approved and issued, or
 * withdrawn). The prepared false-alarm cancels never wait for anyone and are not reported as drafted.
 */
export interface LifecycleEvent {
  kind: 'drafted' | 'decided';
  id: string;
  /** The record's state after the change: 'draft' when drafted; issued, imported or rejected (withdrawn) when decided. */
  state: AlertRecord['state'];
  /** Who drafted (or imported) it: the approvers to tell are everyone else. */
  createdBy: string | null;
  /** Who acted now. */
  by: string;
}

export type LifecycleObserver = (event: LifecycleEvent) => void | Promise<void>;

export interface IssueResult {
  record: AlertRecord;
  /** Outbox seq, also the SSE event id; null when the message is kept but not delivered. */
  seq: number | null;
  /** Id of the false-alarm cancel prepared with it (send it with POST /api/alerts/:id/cancel). */
  preparedCancelId: string | null;
}

const hasRole = (actor: Actor, roles: readonly string[]) => roles.includes(actor.role);

/** How far in the future an imported message's <sent> may lie (clock skew between authorities). */
export const MAX_IMPORT_CLOCK_SKEW_MS = 5 * 60_000;

export interface ImportResult extends IssueResult {
  /** Went into the outbox now. */
  delivered: boolean;
  /** Waits as a pending import (state draft) for an approver other than the importer. */
  pendingApproval: boolean;
  /** Why it was not delivered (kept for the record, or waiting for approval); null when delivered. */
  reason: string | null;
  trust: ImportTrustAssessment;
}

const sameSender = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export class AlertLifecycle {
  private readonly o: LifecycleOptions;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly observers = new Set<LifecycleObserver>();

  constructor(options: LifecycleOptions) {
    this.o = options;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
  }

  /** Follows drafts and decisions (see LifecycleEvent); returns the unsubscribe. */
  observe(observer: LifecycleObserver): () => void {
    this.observers.add(observer);
    return () => void this.observers.delete(observer);
  }

  /** Tells the observers, after the commit: never awaited, and what they throw or reject with is logged, not raised. */
  private tell(event: LifecycleEvent): void {
    const log = this.o.log ?? ((msg: string, err?: unknown) => console.error(msg, err ?? ''));
    for (const observer of this.observers) {
      try {
        const done = observer(event);
        if (done && typeof (done as Promise<void>).catch === 'function') (done as Promise<void>).catch((err) => log(`alert lifecycle: an observer of ${event.kind} ${event.id} failed`, err));
      } catch (err) {
        log(`alert lifecycle: an observer of ${event.kind} ${event.id} failed`, err);
      }
    }
  }

  async get(id: string): Promise<AlertRecord> {
    const r = await this.o.store.get(id);
    if (!r) throw new LifecycleError('not-found', `no alert with id ${id}`, 'id');
    return r;
  }

  active(): Promise<AlertRecord[]> {
    return this.o.store.listActive(capTime(this.now()));
  }

  /** Step one of the two-person rule: a draft, which nobody outside the console ever sees. */
  async draft(actor: Actor, body: unknown): Promise<AlertRecord> {
    if (!hasRole(actor, DRAFT_ROLES)) throw new LifecycleError('forbidden', `role ${actor.role} may not draft alerts`, 'role');
    const nowMs = this.now();
    // An Update/Cancel without its own expiry inherits the first referenced alert's: read it before the (synchronous) parse.
    const firstRef = firstReference(body);
    const inherited = firstRef ? (await this.o.store.get(firstRef))?.cap.info[0]?.expires ?? null : null;
    const input = parseDraftInput(body, this.o.regions, nowMs, () => inherited);
    this.checkJurisdiction(actor, input.regions);
    const referenced: AlertRecord[] = [];
    for (const ref of input.references) referenced.push(await this.replaceable(ref, input.status));
    const id = this.newId();
    const cap = capFromInput(input, this.o.regions, { identifier: id, sender: this.o.sender, senderName: this.o.senderName ?? null, nowMs }, referenced.map(referenceTriple));
    const record: AlertRecord = {
      id, cap, state: 'draft', createdBy: actor.name, createdAt: capTime(nowMs),
      approvedBy: null, approvedAt: null, issuedAt: null, signature: null, capXml: null, origin: null,
      falseAlarm: false, preparedFor: null, replacedBy: null, signatureKeyId: null, trust: null, authorityName: this.ownName(),
    };
    await this.o.store.insertDraft(record);
    this.tell({ kind: 'drafted', id, state: 'draft', createdBy: actor.name, by: actor.name });
    return record;
  }

  /**
   * An account with a jurisdiction drafts (and updates) only for regions inside it: a region is inside when it or one
   * of its parents is listed. Cancels are not limited, so anyone who may draft can start ending an alert (a second
   * person still approves). Accounts without a jurisdiction are not limited.
   */
  private checkJurisdiction(actor: Actor, regions: readonly string[]): void {
    const mine = actor.jurisdiction ?? [];
    const outside = regionsOutside(mine, regions, (c) => this.o.regions.region(c)?.parentCode ?? null);
    if (outside.length === 0) return;
    const shown = outside.slice(0, 10).join(', ') + (outside.length > 10 ? ` and ${outside.length - 10} more` : '');
    throw new LifecycleError('forbidden', `regions outside your jurisdiction (${mine.join(', ')}): ${shown}; an account without these regions in its jurisdiction, or an admin changing it, can draft this`, 'regions', 'OUTSIDE_JURISDICTION');
  }

  /** The name residents see on Refuge's own alerts. */
  ownName(): string {
    return this.o.senderName || this.o.sender;
  }

  /** Step two: a different person approves, which issues the alert. Resolves only after the commit. */
  async approve(actor: Actor, id: string): Promise<IssueResult> {
    const record = await this.get(id);
    if (record.state !== 'draft') throw new LifecycleError('conflict', `alert ${id} is ${record.state}, only a draft can be approved`, 'state');
    if (!hasRole(actor, APPROVE_ROLES)) throw new LifecycleError('forbidden', `role ${actor.role} may not approve alerts`, 'role');
    // The prepared false-alarm cancel is sent only deliberately, through cancel(), never from an approval queue.
    if (record.falseAlarm) {
      throw new LifecycleError('conflict', `alert ${id} is the prepared false-alarm cancel of ${record.preparedFor}; send it with POST /api/alerts/${record.preparedFor}/cancel {"falseAlarm": true}`, 'state');
    }
    if (record.createdBy === actor.name) {
      const what = record.origin !== null ? 'imported' : 'drafted';
      throw new LifecycleError('forbidden', `two-person rule: ${actor.name} ${what} alert ${id} and cannot also approve it`, 'two-person-rule');
    }
    // A pending import: another authority's message, delivered as it is (not re-signed as ours) once a second person approves.
    const result = record.origin !== null ? await this.deliverPendingImport(actor, record) : await this.issue(actor, record);
    this.tell({ kind: 'decided', id, state: result.record.state, createdBy: record.createdBy, by: actor.name });
    return result;
  }

  /**
   * Cancel: a draft is withdrawn; an issued alert is cancelled by sending its prepared false-alarm cancel,
   * which needs only one approver so a false alarm is corrected in seconds, not the 38 minutes of Hawaii 2018.
   */
  async cancel(actor: Actor, id: string): Promise<{ withdrawn: AlertRecord } | IssueResult> {
    const record = await this.get(id);
    if (record.state === 'draft') {
      if (record.createdBy !== actor.name && !hasRole(actor, APPROVE_ROLES)) {
        throw new LifecycleError('forbidden', `only the drafter or an approver may withdraw draft ${id}`, 'role');
      }
      if (!(await this.o.store.withdraw(id, actor.name, capTime(this.now())))) throw new LifecycleError('conflict', `alert ${id} is no longer a draft`, 'state');
      const withdrawn = await this.get(id);
      this.tell({ kind: 'decided', id, state: withdrawn.state, createdBy: record.createdBy, by: actor.name });
      return { withdrawn };
    }
    if (!hasRole(actor, APPROVE_ROLES)) throw new LifecycleError('forbidden', `role ${actor.role} may not cancel issued alerts`, 'role');
    if (record.state !== 'issued' && record.state !== 'imported') throw new LifecycleError('conflict', `alert ${id} is ${record.state}; only an issued or imported alert can be cancelled`, 'state');
    if (record.replacedBy) throw new LifecycleError('conflict', `alert ${id} was already replaced by ${record.replacedBy}; cancel that one`, 'state');
    let prepared = await this.o.store.preparedCancelFor(id);
    if (!prepared && record.state === 'imported') {
      // Another authority's alert: Refuge's own false-alarm Cancel, referencing it, made now and sent with one approval.
      await this.replaceable(id, record.cap.status);
      prepared = this.prepareFalseAlarmCancel(record, this.now());
      await this.o.store.insertDraft(prepared);
    }
    if (!prepared) throw new LifecycleError('conflict', `alert ${id} has no prepared cancel`, 'state');
    const sent = await this.issue(actor, prepared);
    this.tell({ kind: 'decided', id: prepared.id, state: sent.record.state, createdBy: prepared.createdBy, by: actor.name });
    return sent;
  }

  /**
   * Drafts an ordinary Cancel (the threat is over, or the alert is withdrawn for a reason other than a false alarm).
   * Unlike the prepared false-alarm cancel it follows the two-person rule: someone else approves it.
   */
  async draftCancel(actor: Actor, id: string, reason: string | null): Promise<AlertRecord> {
    if (!hasRole(actor, DRAFT_ROLES)) throw new LifecycleError('forbidden', `role ${actor.role} may not draft alerts`, 'role');
    const target = await this.replaceable(id, (await this.get(id)).cap.status);
    if (reason !== null && reason.length > 2000) throw new LifecycleError('invalid', 'reason: at most 2000 characters', 'reason');
    if (reason !== null) checkXmlText('reason', reason);
    const nowMs = this.now();
    const newId = this.newId();
    const status = target.cap.status;
    const cap = this.cancelCap(target, newId, (info) => {
      const w = cancelWording(info.language);
      return {
        headline: markText(status, w.cancelled(stripMark(info.headline ?? info.event))),
        description: reason ?? info.description,
        instruction: markText(status, reason ?? w.cancelledInstruction),
      };
    });
    const record: AlertRecord = {
      id: newId, cap, state: 'draft', createdBy: actor.name, createdAt: capTime(nowMs),
      approvedBy: null, approvedAt: null, issuedAt: null, signature: null, capXml: null, origin: null,
      falseAlarm: false, preparedFor: null, replacedBy: null, signatureKeyId: null, trust: null, authorityName: this.ownName(),
    };
    await this.o.store.insertDraft(record);
    this.tell({ kind: 'drafted', id: newId, state: 'draft', createdBy: actor.name, by: actor.name });
    return record;
  }

  /**
   * Refuge's own Cancel of `target` (ours or another authority's): our sender and name, the target's status (an
   * exercise is cancelled by an exercise), a reference to it, and each of the target's info blocks (each language it
   * was written in) with the texts given for it.
   */
  private cancelCap(target: AlertRecord, identifier: string, textsFor: (info: CapInfo) => { headline: string | null; description: string | null; instruction: string | null }): CapAlert {
    const status = target.cap.status;
    const mark = exerciseMark(status);
    return {
      identifier, sender: this.o.sender, sent: target.cap.sent, status, msgType: 'Cancel', scope: 'Public',
      note: mark ? `${mark}: not a real alert. Take no protective action.` : null,
      references: [referenceTriple(target)],
      info: target.cap.info.map((info) => {
        const texts = textsFor(info);
        return {
          ...info, urgency: 'Past', severity: 'Minor', certainty: 'Observed', senderName: this.o.senderName ?? null, web: null,
          headline: texts.headline, description: texts.description, instruction: texts.instruction,
        };
      }),
    };
  }

  /**
   * Records a CAP message from another authority (already parsed and schema-checked by src/alerts/cap).
   *
   * - Refused (nothing stored): a message claiming Refuge's own sender or sender name; one from a configured trusted
   *   authority carrying a signature that does not verify (CAP_SIGNATURE_INVALID); one whose <sent> is more than
   *   5 minutes ahead or whose <expires> is more than 48 hours ahead (the limits of our own alerts); one that
   *   references an alert of another sender (a message can only update or cancel its own sender's alerts).
   * - Delivered at once: a public, actionable, unexpired message whose sender is a configured trusted authority and
   *   whose signature verifies against that authority's key; or an Exercise/Test message (marked as such everywhere).
   * - Otherwise an Actual message (or one that would replace a signed alert) waits as a pending import (state draft)
   *   until an approver other than the importer approves it.
   * - Anything not public, not actionable or expired is kept for the record only.
   */
  async recordImported(actor: Actor, cap: CapAlert, capXml: string, origin: string): Promise<ImportResult> {
    if (!hasRole(actor, APPROVE_ROLES)) throw new LifecycleError('forbidden', `role ${actor.role} may not import alerts`, 'role');
    if (sameSender(cap.sender, this.o.sender)) {
      throw new LifecycleError('forbidden', `<sender> ${cap.sender} is this Refuge's own sender: an import can never speak as us (draft and approve an alert instead)`, 'sender', 'IMPORT_SENDER_RESERVED');
    }
    const ownName = this.ownName().trim().toLowerCase();
    for (const info of cap.info) {
      if (info.senderName !== null && info.senderName.trim().toLowerCase() === ownName) {
        throw new LifecycleError('forbidden', `<senderName> "${info.senderName}" is this Refuge's own name: an import can never speak as us`, 'senderName', 'IMPORT_SENDER_RESERVED');
      }
    }
    if (await this.o.store.getByIdentifier(cap.sender, cap.identifier)) {
      throw new LifecycleError('conflict', `alert ${cap.identifier} from ${cap.sender} was already imported`, 'identifier');
    }
    const nowMs = this.now();
    checkImportLimits(cap, nowMs);
    const referenced = await this.importReferences(cap);
    const trust = this.o.importTrust ? await this.o.importTrust(cap, capXml) : { trusted: false, authority: null, reason: 'no trusted authorities are configured' };
    if (trust.signatureInvalid) {
      // A signature that fails is evidence of forgery or tampering, not mere lack of proof: no human should be asked
      // to approve it, so it is refused (nothing stored). An unsigned message only goes to the approval queue.
      throw new LifecycleError('invalid', `refused: the message claims trusted authority ${cap.sender}, but its signature does not verify (${trust.reason})`, 'Signature', 'CAP_SIGNATURE_INVALID');
    }
    const authorityName = trust.trusted && trust.authority ? trust.authority.name : (cap.info[0]?.senderName?.trim() || cap.sender);
    const base: AlertRecord = {
      id: this.newId(), cap, state: 'imported', createdBy: actor.name, createdAt: capTime(nowMs),
      approvedBy: null, approvedAt: null, issuedAt: capTime(nowMs), signature: null, capXml, origin,
      falseAlarm: false, preparedFor: null, replacedBy: null, signatureKeyId: null,
      trust: trust.trusted ? 'signed' : 'unverified', authorityName,
    };
    const notLive = notDeliverable(cap, nowMs);
    const replaces = notLive ? [] : referenced.filter((r) => !r.replacedBy && r.cap.status === cap.status && (r.state === 'issued' || r.state === 'imported'));
    const needsReview = !notLive && !trust.trusted && (cap.status === 'Actual' || replaces.some((r) => r.trust === 'signed'));
    if (needsReview) {
      const pending: AlertRecord = { ...base, state: 'draft', issuedAt: null, trust: null };
      await this.o.store.insertDraft(pending);
      this.tell({ kind: 'drafted', id: pending.id, state: 'draft', createdBy: actor.name, by: actor.name });
      const why = cap.status === 'Actual' ? 'an Actual message' : 'it would replace a signed alert of a trusted authority';
      return {
        record: pending, seq: null, preparedCancelId: null, delivered: false, pendingApproval: true, trust,
        reason: `waiting for an approver other than ${actor.name}: ${why} from an untrusted sender (${trust.reason})`,
      };
    }
    const ids = replaces.map((r) => r.id);
    const event = notLive ? null : await this.importEvent(base, ids);
    const { seq } = await this.o.store.issue({ record: base, event, replaces: ids, preparedCancel: null }, 'imported');
    if (seq !== null) this.o.onCommitted?.(seq);
    return { record: base, seq, preparedCancelId: null, delivered: seq !== null, pendingApproval: false, reason: notLive, trust };
  }

  /** A second person approves a pending import: delivered as the other authority's message, marked "reviewed". */
  private async deliverPendingImport(actor: Actor, draft: AlertRecord): Promise<ImportResult> {
    const nowMs = this.now();
    const notLive = notDeliverable(draft.cap, nowMs);
    if (notLive) throw new LifecycleError('conflict', `imported alert ${draft.id} can no longer be delivered: ${notLive}`, 'expires');
    const replaces = (await this.importReferences(draft.cap)).filter((r) => r.cap.status === draft.cap.status && (r.state === 'issued' || r.state === 'imported'));
    for (const r of replaces) if (r.replacedBy) throw new LifecycleError('conflict', `references: alert ${r.id} was already replaced by ${r.replacedBy}`, 'references');
    const at = capTime(nowMs);
    const record: AlertRecord = { ...draft, state: 'imported', approvedBy: actor.name, approvedAt: at, issuedAt: at, trust: 'reviewed' };
    const ids = replaces.map((r) => r.id);
    const event = await this.importEvent(record, ids);
    const { seq } = await this.o.store.issue({ record, event, replaces: ids, preparedCancel: null }, 'draft');
    if (seq !== null) this.o.onCommitted?.(seq);
    return { record, seq, preparedCancelId: null, delivered: seq !== null, pendingApproval: false, reason: null, trust: { trusted: false, authority: null, reason: `approved by ${actor.name}` } };
  }

  private async importEvent(record: AlertRecord, replaces: string[]) {
    const event = buildAlertEvent(record, this.o.regions, replaces, record.trust === 'signed', replaces[0] ? await this.threadOf(replaces[0]) : record.id);
    // CAP allows an info without expiry; live channels need one, so such a message counts as live for one hour.
    if (!event.expires) event.expires = capTime(Date.parse(record.cap.sent) + 3600_000);
    return event;
  }

  /** The known alerts an imported message references; a reference to another sender's alert is refused. */
  private async importReferences(cap: CapAlert): Promise<AlertRecord[]> {
    const out: AlertRecord[] = [];
    for (const triple of cap.references) {
      const [sender, identifier] = triple.split(',');
      if (!sender || !identifier) throw new LifecycleError('invalid', `<references>: ${JSON.stringify(triple)} is not "sender,identifier,sent"`, 'references');
      if (sender !== cap.sender) {
        throw new LifecycleError('conflict', `<references> names ${identifier} of ${sender}: a message from ${cap.sender} can only update or cancel alerts of ${cap.sender}`, 'references', 'IMPORT_FOREIGN_REFERENCE');
      }
      const r = await this.o.store.getByIdentifier(sender, identifier);
      if (r) out.push(r);
    }
    return out;
  }

  private async issue(actor: Actor, draft: AlertRecord): Promise<IssueResult> {
    const nowMs = this.now();
    const info = draft.cap.info[0];
    if (info?.expires && Date.parse(info.expires) <= nowMs) {
      throw new LifecycleError('conflict', `alert ${draft.id} expired at ${info.expires}; draft a new one`, 'expires');
    }
    const replacedIds = draft.falseAlarm ? [draft.preparedFor!] : await this.referencedIds(draft);
    const replaced: AlertRecord[] = [];
    for (const rid of replacedIds) replaced.push(await this.replaceable(rid, draft.cap.status));
    const cap: CapAlert = { ...draft.cap, sent: capTime(nowMs), references: replaced.map(referenceTriple) };
    const capXml = this.o.emitCap(cap);
    const { signature, keyId } = this.o.signer.sign(capXml);
    const at = capTime(nowMs);
    const record: AlertRecord = {
      ...draft, cap, state: 'issued', approvedBy: actor.name, approvedAt: at, issuedAt: at,
      signature, signatureKeyId: keyId, capXml, trust: 'own', authorityName: this.ownName(),
    };
    const verified = this.o.verify ? this.o.verify(capXml, signature) : false;
    const event = buildAlertEvent(record, this.o.regions, replacedIds, verified, replacedIds[0] ? await this.threadOf(replacedIds[0]) : record.id);
    const preparedCancel = cap.msgType === 'Cancel' ? null : this.prepareFalseAlarmCancel(record, nowMs);
    const { seq } = await this.o.store.issue({ record, event, replaces: replacedIds, preparedCancel }, 'draft');
    if (seq !== null) this.o.onCommitted?.(seq);
    return { record, seq, preparedCancelId: preparedCancel?.id ?? null };
  }

  /** The first alert of the chain `id` belongs to, found by following each message's first CAP reference back. */
  private async threadOf(id: string): Promise<string> {
    let root = id;
    const seen = new Set<string>();
    for (let cur = await this.o.store.get(id); cur && !seen.has(cur.id); ) {
      seen.add(cur.id);
      root = cur.id;
      const [sender, identifier] = (cur.cap.references[0] ?? '').split(',');
      cur = sender && identifier ? await this.o.store.getByIdentifier(sender, identifier) : null;
    }
    return root;
  }

  /** Refuge ids behind a draft's CAP references (the draft stores the triples of what it replaces). */
  private async referencedIds(draft: AlertRecord): Promise<string[]> {
    const ids: string[] = [];
    for (const triple of draft.cap.references) {
      const [sender, identifier] = triple.split(',');
      const r = sender && identifier ? await this.o.store.getByIdentifier(sender, identifier) : null;
      if (!r) throw new LifecycleError('conflict', `referenced alert ${triple} is not known`, 'references');
      ids.push(r.id);
    }
    return ids;
  }

  /** An Update/Cancel may only replace a live alert of the same status: an exercise can never update a real alert. */
  private async replaceable(id: string, status: CapAlert['status']): Promise<AlertRecord> {
    const r = await this.o.store.get(id);
    if (!r) throw new LifecycleError('invalid', `references: no alert with id ${id}`, 'references');
    if (r.state !== 'issued' && r.state !== 'imported') throw new LifecycleError('conflict', `references: alert ${id} is ${r.state}, not issued`, 'references');
    if (r.replacedBy) throw new LifecycleError('conflict', `references: alert ${id} was already replaced by ${r.replacedBy}`, 'references');
    if (r.cap.msgType === 'Cancel') throw new LifecycleError('conflict', `references: alert ${id} is itself a Cancel`, 'references');
    if (r.cap.status !== status) {
      throw new LifecycleError('conflict', `references: alert ${id} has status ${r.cap.status}; a ${status} message cannot replace it`, 'status');
    }
    return r;
  }

  private prepareFalseAlarmCancel(issued: AlertRecord, nowMs: number): AlertRecord {
    const status = issued.cap.status;
    const id = this.newId();
    const cap = this.cancelCap(issued, id, (info) => {
      const w = cancelWording(info.language);
      const headline = stripMark(info.headline ?? info.event);
      return {
        headline: markText(status, w.falseAlarm(headline)),
        description: w.falseAlarmDescription(headline),
        instruction: markText(status, w.falseAlarmInstruction),
      };
    });
    return {
      id, cap, state: 'draft', createdBy: SYSTEM_AUTHOR, createdAt: capTime(nowMs),
      approvedBy: null, approvedAt: null, issuedAt: null, signature: null, capXml: null, origin: null,
      falseAlarm: true, preparedFor: issued.id, replacedBy: null, signatureKeyId: null, trust: null, authorityName: this.ownName(),
    };
  }
}

/** The first alert id a draft body references, if it names any (read before parsing, to inherit its expiry). */
function firstReference(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const refs = (body as { references?: unknown }).references;
  const first = Array.isArray(refs) ? refs[0] : refs;
  return typeof first === 'string' && first !== '' ? first : null;
}

function stripMark(s: string): string {
  return s.replace(/^(EXERCISE|TEST|SYSTEM MESSAGE|DRAFT) - /, '');
}

export function referenceTriple(r: AlertRecord): string {
  return `${r.cap.sender},${r.cap.identifier},${r.cap.sent}`;
}

/** Imported messages get the limits of our own: <sent> at most 5 minutes ahead, every <expires> at most 48 hours ahead. */
export function checkImportLimits(cap: CapAlert, nowMs: number): void {
  const sent = Date.parse(cap.sent);
  if (Number.isNaN(sent)) throw new LifecycleError('invalid', `<sent> ${cap.sent} is not a time`, 'sent');
  if (sent - nowMs > MAX_IMPORT_CLOCK_SKEW_MS) {
    throw new LifecycleError('invalid', `<sent> ${cap.sent} is in the future (more than ${MAX_IMPORT_CLOCK_SKEW_MS / 60_000} minutes ahead of this server's clock)`, 'sent');
  }
  for (const info of cap.info) {
    if (info.expires === null) continue;
    const expires = Date.parse(info.expires);
    if (Number.isNaN(expires)) throw new LifecycleError('invalid', `<expires> ${info.expires} is not a time`, 'expires');
    if (expires - nowMs > MAX_ALERT_LIFETIME_MS) {
      throw new LifecycleError('invalid', `<expires> ${info.expires} is more than ${MAX_ALERT_LIFETIME_MS / 3600_000} hours ahead: an alert may stay active at most that long`, 'expires');
    }
  }
}

/** Why a (usually imported) message must not reach the public, or null when it may. */
export function notDeliverable(cap: CapAlert, nowMs: number): string | null {
  if (!['Actual', 'Exercise', 'Test'].includes(cap.status)) return `status ${cap.status} is not for the public`;
  if (!['Alert', 'Update', 'Cancel'].includes(cap.msgType)) return `msgType ${cap.msgType} is not delivered`;
  if (cap.scope !== 'Public') return `scope ${cap.scope} is not public`;
  const info = cap.info[0];
  if (!info) return 'no info block';
  const expires = info.expires ? Date.parse(info.expires) : NaN;
  if (!Number.isNaN(expires) && expires <= nowMs) return `expired at ${info.expires}`;
  if (Number.isNaN(expires) && Date.parse(cap.sent) + 3600_000 <= nowMs) return 'no expiry and sent over an hour ago';
  return null;
}
