// Domain errors of the reports capability; the HTTP edge maps the codes to problem documents.
export class ReportError extends Error {
  constructor(
    readonly code: 'INVALID_REPORT' | 'SHELTER_NOT_FOUND' | 'REPORT_NOT_FOUND' | 'ALREADY_RESOLVED' | 'TOO_MANY_REPORTS',
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}
