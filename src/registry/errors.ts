// Domain errors carry a stable code; the HTTP edge maps them to problem documents.
export interface FieldProblem {
  field: string;
  reason: string;
}

export class RegistryError extends Error {
  constructor(
    readonly code: 'SHELTER_NOT_FOUND' | 'VERSION_CONFLICT' | 'INVALID_SHELTER' | 'DECOMMISSIONED',
    message: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}
