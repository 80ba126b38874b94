// Approvals push (issue 14): the live count of drafts waiting for approval and Web Push to approvers.
export type { ApprovalsPushStore, StaffPushSubscription, WaitingDraft } from './ports.ts';
export { ApprovalsWatch, waitingFor, type ApprovalsWatchOptions, type WaitingCounts } from './approvals-watch.ts';
export { ApprovalsNotifier, approvalPayload, APPROVALS_URL, type ApprovalsNotifierOptions, type NotifyOutcome } from './approvals-notifier.ts';
export { parseBrowserSubscription } from './subscription.ts';
export { ApprovalNotices, noticeClaimKey, type ApprovalNoticesOptions } from './approval-notices.ts';
export { WaitingDrafts, type WaitingDraftsConsumer, type WaitingDraftsOptions } from './waiting-drafts.ts';
