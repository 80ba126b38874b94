export * from './roles.ts';
export * from './ports.ts';
export { Accounts, AccountError } from './accounts.ts';
