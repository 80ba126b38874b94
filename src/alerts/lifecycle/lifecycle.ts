// The alert workflow: an operator drafts, a different approver approves, and only approval issues the alert.
// Issuing commits the alert and its outbox row in one transaction (the store's job); the caller hears "issued"
// only after that commit returns, and delivery runs from the outbox.
import { randomUUID } from 'node:crypto';
import type { AlertRecord, CapAlert } from '../model.ts';
import { buildAlertEvent } from './alert-event.ts';
import { capFromInput, capTime, markText, parseDraftInput } from './draft-input.ts';
import { LifecycleError } from './errors.ts';
import type { Actor, AlertStore, CapEmitter, CapSigner, RegionDirectory } from './ports.ts';

/** Roles that may draft (any drafter still needs a second person to approve). */
export const DRAFT_ROLES = ['operator', 'approver', 'admin'] as const;
/** Roles that may approve someone else's draft and send a prepared false-alarm cancel. */
export const APPROVE_ROLES = ['approver', 'admin'] as const;

/** Name recorded as the author of the false-alarm cancels the system prepares. */
export const SYSTEM_AUTHOR = 'refuge:prepared-cancel';

export interface LifecycleOptions {
  store: AlertStore;
  regions: RegionDirectory;
  emitCap: CapEmitter;
  signer: CapSigner;
  /** Verifies a signature over CAP XML with the published key; sets the event's verified flag. */
  verify?: (capXml: string, signature: string) => boolean;
  /** CAP <sender>, e.g. "alerts@refuge.example.org". */
  sender: string;
  senderName?: string | null;
  now?: () => number;
  newId?: () => string;
  /** Called after an outbox row is committed, to wake the outbox worker at once. */
  onCommitted?: (seq: number) => void;
}

export interface IssueResult {
  record: AlertRecord;
  /** Outbox seq, also the SSE event id; null when the message is kept but not delivered. */
  seq: number | null;
  /** Id of the false-alarm cancel prepared with it (send it with POST /api/alerts/:id/cancel). */
  preparedCancelId: string | null;
}

const hasRole = (actor: Actor, roles: readonly string[]) => roles.includes(actor.role);

export class AlertLifecycle {
  private readonly o: LifecycleOptions;
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(options: LifecycleOptions) {
    this.o = options;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
  }

  get(id: string): AlertRecord {
    const r = this.o.store.get(id);
    if (!r) throw new LifecycleError('not-found', `no alert with id ${id}`, 'id');
    return r;
  }

  active(): AlertRecord[] {
    return this.o.store.listActive(capTime(this.now()));
  }

  /** Step one of the two-person rule: a draft, which nobody outside the console ever sees. */
  draft(actor: Actor, body: unknown): AlertRecord {
    if (!hasRole(actor, DRAFT_ROLES)) throw new LifecycleError('forbidden', `role ${actor.role} may not draft alerts`, 'role');
    const nowMs = this.now();
    const input = parseDraftInput(body, this.o.regions, nowMs, (refs) => this.o.store.get(refs[0]!)?.cap.info[0]?.expires ?? null);
    const referenced = input.references.map((id) => this.replaceable(id, input.status));
    const id = this.newId();
    const cap = capFromInput(input, this.o.regions, { identifier: id, sender: this.o.sender, senderName: this.o.senderName ?? null, nowMs }, referenced.map(referenceTriple));
    const record: AlertRecord = {
      id, cap, state: 'draft', createdBy: actor.name, createdAt: capTime(nowMs),
      approvedBy: null, approvedAt: null, issuedAt: null, signature: null, capXml: null, origin: null,
      falseAlarm: false, preparedFor: null, replacedBy: null, signatureKeyId: null,
    };
    this.o.store.insertDraft(record);
    return record;
  }

  /** Step two: a different person approves, which issues the alert. Resolves only after the commit. */
  approve(actor: Actor, id: string): IssueResult {
    const record = this.get(id);
    if (record.state !== 'draft') throw new LifecycleError('conflict', `alert ${id} is ${record.state}, only a draft can be approved`, 'state');
    if (!hasRole(actor, APPROVE_ROLES)) throw new LifecycleError('forbidden', `role ${actor.role} may not approve alerts`, 'role');
    // The prepared false-alarm cancel is sent only deliberately, through cancel(), never from an approval queue.
    if (record.falseAlarm) {
      throw new LifecycleError('conflict', `alert ${id} is the prepared false-alarm cancel of ${record.preparedFor}; send it with POST /api/alerts/${record.preparedFor}/cancel {"falseAlarm": true}`, 'state');
    }
    if (record.createdBy === actor.name) {
      throw new LifecycleError('forbidden', `two-person rule: ${actor.name} drafted alert ${id} and cannot also approve it`, 'two-person-rule');
    }
    return this.issue(actor, record);
  }

  /**
   * Cancel: a draft is withdrawn; an issued alert is cancelled by sending its prepared false-alarm cancel,
   * which needs only one approver so a false alarm is corrected in seconds, not the 38 minutes of Hawaii 2018.
   */
  cancel(actor: Actor, id: string): { withdrawn: AlertRecord } | IssueResult {
    const record = this.get(id);
    if (record.state === 'draft') {
      if (record.createdBy !== actor.name && !hasRole(actor, APPROVE_ROLES)) {
        throw new LifecycleError('forbidden', `only the drafter or an approver may withdraw draft ${id}`, 'role');
      }
      if (!this.o.store.withdraw(id, actor.name, capTime(this.now()))) throw new LifecycleError('conflict', `alert ${id} is no longer a draft`, 'state');
      return { withdrawn: this.get(id) };
    }
    if (!hasRole(actor, APPROVE_ROLES)) throw new LifecycleError('forbidden', `role ${actor.role} may not cancel issued alerts`, 'role');
    if (record.state !== 'issued') throw new LifecycleError('conflict', `alert ${id} is ${record.state}; only Refuge's own issued alerts can be cancelled here`, 'state');
    if (record.replacedBy) throw new LifecycleError('conflict', `alert ${id} was already replaced by ${record.replacedBy}; cancel that one`, 'state');
    const prepared = this.o.store.preparedCancelFor(id);
    if (!prepared) throw new LifecycleError('conflict', `alert ${id} has no prepared cancel`, 'state');
    return this.issue(actor, prepared);
  }

  /**
   * Drafts an ordinary Cancel (the threat is over, or the alert is withdrawn for a reason other than a false alarm).
   * Unlike the prepared false-alarm cancel it follows the two-person rule: someone else approves it.
   */
  draftCancel(actor: Actor, id: string, reason: string | null): AlertRecord {
    if (!hasRole(actor, DRAFT_ROLES)) throw new LifecycleError('forbidden', `role ${actor.role} may not draft alerts`, 'role');
    const target = this.replaceable(id, this.get(id).cap.status);
    if (target.state !== 'issued') throw new LifecycleError('conflict', `alert ${id} came from ${target.origin ?? 'another authority'}; only its sender can cancel it`, 'state');
    if (reason !== null && reason.length > 2000) throw new LifecycleError('invalid', 'reason: at most 2000 characters', 'reason');
    const nowMs = this.now();
    const info = target.cap.info[0]!;
    const newId = this.newId();
    const status = target.cap.status;
    const cap: CapAlert = {
      ...target.cap, identifier: newId, msgType: 'Cancel', references: [referenceTriple(target)],
      info: [{
        ...info, urgency: 'Past', severity: 'Minor', certainty: 'Observed',
        headline: markText(status, `Cancelled: ${stripMark(info.headline ?? info.event)}`),
        description: reason ?? info.description,
        instruction: markText(status, reason ?? 'This alert is cancelled.'),
      }],
    };
    const record: AlertRecord = {
      id: newId, cap, state: 'draft', createdBy: actor.name, createdAt: capTime(nowMs),
      approvedBy: null, approvedAt: null, issuedAt: null, signature: null, capXml: null, origin: null,
      falseAlarm: false, preparedFor: null, replacedBy: null, signatureKeyId: null,
    };
    this.o.store.insertDraft(record);
    return record;
  }

  /**
   * Records a CAP message from another authority (already parsed and schema-checked by src/alerts/cap).
   * It is delivered when it is public, actionable and not expired; otherwise it is kept for the record only.
   */
  recordImported(actor: Actor, cap: CapAlert, capXml: string, origin: string, signature: { value: string; keyId: string | null; verified: boolean } | null = null): IssueResult & { delivered: boolean; reason: string | null } {
    if (!hasRole(actor, APPROVE_ROLES)) throw new LifecycleError('forbidden', `role ${actor.role} may not import alerts`, 'role');
    if (this.o.store.getByIdentifier(cap.sender, cap.identifier)) {
      throw new LifecycleError('conflict', `alert ${cap.identifier} from ${cap.sender} was already imported`, 'identifier');
    }
    const nowMs = this.now();
    const replaces = cap.references
      .map((t) => t.split(','))
      .map(([sender, identifier]) => (sender && identifier ? this.o.store.getByIdentifier(sender, identifier) : null))
      .filter((r): r is AlertRecord => r !== null && !r.replacedBy && r.cap.status === cap.status)
      .map((r) => r.id);
    const record: AlertRecord = {
      id: this.newId(), cap, state: 'imported', createdBy: actor.name, createdAt: capTime(nowMs),
      approvedBy: null, approvedAt: null, issuedAt: capTime(nowMs), signature: signature?.value ?? null, capXml, origin,
      falseAlarm: false, preparedFor: null, replacedBy: null, signatureKeyId: signature?.keyId ?? null,
    };
    const reason = notDeliverable(cap, nowMs);
    const event = reason ? null : buildAlertEvent(record, this.o.regions, replaces, signature?.verified ?? false, replaces[0] ? this.threadOf(replaces[0]) : record.id);
    // CAP allows an info without expiry; live channels need one, so such a message counts as live for one hour.
    if (event && !event.expires) event.expires = capTime(Date.parse(cap.sent) + 3600_000);
    const { seq } = this.o.store.issue({ record, event, replaces: reason ? [] : replaces, preparedCancel: null }, 'imported');
    if (seq !== null) this.o.onCommitted?.(seq);
    return { record, seq, preparedCancelId: null, delivered: seq !== null, reason };
  }

  private issue(actor: Actor, draft: AlertRecord): IssueResult {
    const nowMs = this.now();
    const info = draft.cap.info[0];
    if (info?.expires && Date.parse(info.expires) <= nowMs) {
      throw new LifecycleError('conflict', `alert ${draft.id} expired at ${info.expires}; draft a new one`, 'expires');
    }
    const replacedIds = draft.falseAlarm ? [draft.preparedFor!] : this.referencedIds(draft);
    const replaced = replacedIds.map((id) => this.replaceable(id, draft.cap.status));
    const cap: CapAlert = { ...draft.cap, sent: capTime(nowMs), references: replaced.map(referenceTriple) };
    const capXml = this.o.emitCap(cap);
    const { signature, keyId } = this.o.signer.sign(capXml);
    const at = capTime(nowMs);
    const record: AlertRecord = {
      ...draft, cap, state: 'issued', approvedBy: actor.name, approvedAt: at, issuedAt: at,
      signature, signatureKeyId: keyId, capXml,
    };
    const verified = this.o.verify ? this.o.verify(capXml, signature) : false;
    const event = buildAlertEvent(record, this.o.regions, replacedIds, verified, replacedIds[0] ? this.threadOf(replacedIds[0]) : record.id);
    const preparedCancel = cap.msgType === 'Cancel' ? null : this.prepareFalseAlarmCancel(record, nowMs);
    const { seq } = this.o.store.issue({ record, event, replaces: replacedIds, preparedCancel }, 'draft');
    if (seq !== null) this.o.onCommitted?.(seq);
    return { record, seq, preparedCancelId: preparedCancel?.id ?? null };
  }

  /** The first alert of the chain `id` belongs to, found by following each message's first CAP reference back. */
  private threadOf(id: string): string {
    let root = id;
    const seen = new Set<string>();
    for (let cur = this.o.store.get(id); cur && !seen.has(cur.id); ) {
      seen.add(cur.id);
      root = cur.id;
      const [sender, identifier] = (cur.cap.references[0] ?? '').split(',');
      cur = sender && identifier ? this.o.store.getByIdentifier(sender, identifier) : null;
    }
    return root;
  }

  /** Refuge ids behind a draft's CAP references (the draft stores the triples of what it replaces). */
  private referencedIds(draft: AlertRecord): string[] {
    return draft.cap.references.map((triple) => {
      const [sender, identifier] = triple.split(',');
      const r = sender && identifier ? this.o.store.getByIdentifier(sender, identifier) : null;
      if (!r) throw new LifecycleError('conflict', `referenced alert ${triple} is not known`, 'references');
      return r.id;
    });
  }

  /** An Update/Cancel may only replace a live alert of the same status: an exercise can never update a real alert. */
  private replaceable(id: string, status: CapAlert['status']): AlertRecord {
    const r = this.o.store.get(id);
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
    const info = issued.cap.info[0]!;
    const status = issued.cap.status;
    const cap: CapAlert = {
      ...issued.cap,
      identifier: '', // set below: the cancel's own id
      msgType: 'Cancel',
      references: [referenceTriple(issued)],
      info: [{
        ...info,
        urgency: 'Past', severity: 'Minor', certainty: 'Observed',
        headline: markText(status, `FALSE ALARM: ${stripMark(info.headline ?? info.event)}`),
        description: `The alert "${stripMark(info.headline ?? info.event)}" was issued in error. There is no threat.`,
        instruction: markText(status, 'There is no threat. You may leave the shelter and resume normal activity.'),
      }],
    };
    const id = this.newId();
    cap.identifier = id;
    return {
      id, cap, state: 'draft', createdBy: SYSTEM_AUTHOR, createdAt: capTime(nowMs),
      approvedBy: null, approvedAt: null, issuedAt: null, signature: null, capXml: null, origin: null,
      falseAlarm: true, preparedFor: issued.id, replacedBy: null, signatureKeyId: null,
    };
  }
}

function stripMark(s: string): string {
  return s.replace(/^(EXERCISE|TEST|SYSTEM MESSAGE|DRAFT) - /, '');
}

export function referenceTriple(r: AlertRecord): string {
  return `${r.cap.sender},${r.cap.identifier},${r.cap.sent}`;
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
