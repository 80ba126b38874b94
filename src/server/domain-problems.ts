// Domain errors as problem documents, each through its row of the error table (error-codes.ts). The error handler
// (problem.ts) applies these to whatever a route lets through, naming a wrong field where the domain's error says
// which: in the body unless the route says otherwise (a route that takes the field from its path or query string
// calls the function for its domain with that place).
import { RegistryError } from '../registry/index.ts';
import { AccountError } from '../accounts/index.ts';
import { ReportError } from '../reports/index.ts';
import { UnitError } from '../units/index.ts';
import { StockError, StockImportRejected, ImportFileError } from '../stock/index.ts';
import { CapError } from '../alerts/index.ts';
import { LifecycleError } from '../alerts/lifecycle/index.ts';
import { HttpProblem } from './problem-type.ts';

export function registryProblem(err: RegistryError): HttpProblem {
  return HttpProblem.from('registry', err.code, err.message, err.problems);
}

export function accountProblemOf(err: AccountError): HttpProblem {
  return HttpProblem.from('accounts', err.code, err.message, err.field ? [{ field: err.field, reason: err.message }] : [], {}, err.status);
}

export function reportProblem(err: ReportError): HttpProblem {
  // The limit counts the last hour; waiting that long always suffices.
  return HttpProblem.from('reports', err.code, err.message, err.field ? [{ field: `body.${err.field}`, reason: err.message }] : [], err.code === 'TOO_MANY_REPORTS' ? { retryAfter: 3600 } : {});
}

/** Unit errors name their field in the body unless said otherwise. */
export function unitProblem(err: unknown, where: 'body' | 'params' | 'query' = 'body'): unknown {
  if (err instanceof UnitError) return HttpProblem.from('units', err.code, err.message, err.field ? [{ field: `${where}.${err.field}`, reason: err.message }] : []);
  return err;
}

/** A stock error as a problem document; `place` says where its field was sent (body or query string). */
export function stockProblem(err: unknown, place: 'body' | 'querystring' = 'body'): unknown {
  if (err instanceof StockError) {
    const where = err.field ? (err.field === 'id' ? 'params.id' : `${place}.${err.field}`) : null;
    return HttpProblem.from('stock', err.code, err.message, where ? [{ field: where, reason: err.message }] : []);
  }
  if (err instanceof StockImportRejected) {
    return new HttpProblem('IMPORT_REJECTED', err.message, err.problems.map((p) => ({ field: p.column, reason: `line ${p.line}: ${p.reason}` })), { problems: err.problems });
  }
  if (err instanceof ImportFileError) return new HttpProblem('BAD_FILE', err.message);
  return err;
}

const LIFECYCLE_STATUS = { invalid: 400, forbidden: 403, 'not-found': 404, conflict: 409 } as const;

/** Alert lifecycle and CAP errors: the lifecycle's own code, or ALERT_ and its kind; CAP_ and the parse error's code. */
export function lifecycleProblem(err: unknown): unknown {
  if (err instanceof LifecycleError) {
    const code = err.code ?? (err.kind === 'forbidden' && err.field === 'two-person-rule' ? 'TWO_PERSON_RULE' : `ALERT_${err.kind.toUpperCase().replace('-', '_')}`);
    return HttpProblem.from('alerts', code, err.message, err.field ? [{ field: err.field, reason: err.message }] : [], {}, LIFECYCLE_STATUS[err.kind]);
  }
  if (err instanceof CapError) {
    const field = err.element ?? (err.line !== null ? `line ${err.line}` : null);
    return HttpProblem.from('cap', `CAP_${err.code.toUpperCase().replace(/-/g, '_')}`, err.message, field ? [{ field, reason: err.message }] : [], { element: err.element, line: err.line });
  }
  return err;
}

/** Any domain error as its problem document; null for anything else. */
export function domainProblem(err: unknown): HttpProblem | null {
  if (err instanceof RegistryError) return registryProblem(err);
  if (err instanceof AccountError) return accountProblemOf(err);
  if (err instanceof ReportError) return reportProblem(err);
  for (const mapped of [unitProblem(err), stockProblem(err), lifecycleProblem(err)]) if (mapped instanceof HttpProblem) return mapped;
  return null;
}
