export * from './roles.ts';
export * from './ports.ts';
export { Accounts, AccountError, DEFAULT_POLICY, type AccountPolicy, type Acting, type Credential, type SignInResult, type TokenCheck } from './accounts.ts';
