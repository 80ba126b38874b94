import type { Role } from './roles.ts';

export interface User {
  id: number;
  name: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
}

export interface AccountRepository {
  createUser(name: string, role: Role, passwordHash: string): Promise<User>;
  findUser(name: string): Promise<(User & { passwordHash: string }) | null>;
  listUsers(): Promise<User[]>;
  saveSession(tokenHash: string, userId: number, expiresAt: string): Promise<void>;
  userBySession(tokenHash: string, now: string): Promise<User | null>;
  deleteSession(tokenHash: string): Promise<void>;
  saveToken(tokenHash: string, userId: number, label: string | null): Promise<void>;
  userByToken(tokenHash: string): Promise<User | null>;
}
