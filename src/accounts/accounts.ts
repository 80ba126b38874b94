// Users, passwords, sessions and API tokens. No default credentials: every account is created on purpose.
import type { AccountRepository, User } from './ports.ts';
import { isRole, type Role } from './roles.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { hashSecret, newSecret } from './tokens.ts';

export class AccountError extends Error {
  constructor(readonly code: 'INVALID_USER' | 'USER_EXISTS' | 'USER_NOT_FOUND', message: string, readonly field?: string) {
    super(message);
    this.name = 'AccountError';
  }
}

const SESSION_HOURS = 12;

export class Accounts {
  constructor(private readonly repo: AccountRepository, private readonly now: () => Date = () => new Date()) {}

  async createUser(name: string, role: string, password: string): Promise<User> {
    if (!/^[\p{L}\p{N}._@-]{2,64}$/u.test(name)) throw new AccountError('INVALID_USER', 'name must be 2-64 letters, digits or . _ @ -', 'name');
    if (!isRole(role)) throw new AccountError('INVALID_USER', `role must be one of admin, operator, approver, warden`, 'role');
    const problem = passwordProblem(password);
    if (problem) throw new AccountError('INVALID_USER', `password ${problem}`, 'password');
    if (await this.repo.findUser(name)) throw new AccountError('USER_EXISTS', `a user named ${name} already exists`, 'name');
    return this.repo.createUser(name, role as Role, await hashPassword(password));
  }

  listUsers(): Promise<User[]> {
    return this.repo.listUsers();
  }

  /** Checks a password; the same answer (null) whether the name or the password is wrong. */
  async authenticate(name: string, password: string): Promise<User | null> {
    const found = await this.repo.findUser(name);
    if (!found || found.disabledAt) {
      await hashPassword(password); // spend the same time, so timing does not reveal which names exist
      return null;
    }
    if (!(await verifyPassword(password, found.passwordHash))) return null;
    const { passwordHash: _drop, ...user } = found;
    return user;
  }

  async startSession(user: User): Promise<{ token: string; expiresAt: string }> {
    const token = newSecret('rs');
    const expiresAt = new Date(this.now().getTime() + SESSION_HOURS * 3600_000).toISOString();
    await this.repo.saveSession(hashSecret(token), user.id, expiresAt);
    return { token, expiresAt };
  }

  userForSession(token: string): Promise<User | null> {
    return this.repo.userBySession(hashSecret(token), this.now().toISOString());
  }

  endSession(token: string): Promise<void> {
    return this.repo.deleteSession(hashSecret(token));
  }

  /** Returns the token once; only its hash is kept. */
  async createApiToken(userName: string, label: string | null = null): Promise<string> {
    const user = await this.repo.findUser(userName);
    if (!user) throw new AccountError('USER_NOT_FOUND', `no user named ${userName}`, 'user');
    const token = newSecret('rt');
    await this.repo.saveToken(hashSecret(token), user.id, label);
    return token;
  }

  userForToken(token: string): Promise<User | null> {
    return this.repo.userByToken(hashSecret(token));
  }
}
