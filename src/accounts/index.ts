export * from './roles.ts';
export * from './ports.ts';
export { Accounts, AccountError, DEFAULT_POLICY, type AccountPolicy, type Acting, type Credential, type SignInResult, type TokenCheck } from './accounts.ts';
export { normalizeJurisdiction, parseJurisdictionList, regionsOutside, MAX_JURISDICTION_CODES } from './jurisdiction.ts';
