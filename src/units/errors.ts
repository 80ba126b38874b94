// Domain errors of the units capability; the HTTP edge maps the codes to problem documents.
export type UnitErrorCode =
  | 'INVALID_INPUT' | 'UNIT_NOT_FOUND' | 'MEMBER_NOT_FOUND' | 'CALLUP_NOT_FOUND' | 'REGION_NOT_FOUND' | 'USER_NOT_FOUND'
  | 'NOT_CALLED_UP' | 'CALLUP_ENDED' | 'DEADLINE_PASSED' | 'NOT_YOUR_MEMBER' | 'LINK_INVALID' | 'LINK_EXPIRED'
  | 'NO_MEMBERS' | 'CHANGE_NOT_FOUND' | 'CHANGE_DECIDED' | 'SAME_PERSON' | 'CONFLICT';

export class UnitError extends Error {
  constructor(readonly code: UnitErrorCode, message: string, readonly field: string | null = null) {
    super(message);
    this.name = 'UnitError';
  }
}
