/** The users service's in-memory accounts, seeded from the demo accounts with hashed passwords. */
import { DEMO_ACCOUNTS } from '../../shared/src/demo-accounts.ts';
import { checkPassword, hashPassword } from './passwords.ts';

/** A user as the API shows it (never with the password hash). */
export interface PublicUser {
  id: string;
  username: string;
  name: string;
}

interface StoredUser extends PublicUser {
  passwordHash: string;
}

/** The account store. */
export interface UserStore {
  byId(id: string): PublicUser | undefined;
  /** The user when the credentials match, otherwise `undefined` (same work either way). */
  authenticate(username: string, password: string): Promise<PublicUser | undefined>;
}

/** Builds the store, hashing the seeded passwords (takes a moment: scrypt is slow on purpose). */
export async function createUserStore(): Promise<UserStore> {
  const users = await Promise.all(
    DEMO_ACCOUNTS.map(async ({ password, ...user }): Promise<StoredUser> => ({ ...user, passwordHash: await hashPassword(password) })),
  );
  const byId = new Map(users.map((u) => [u.id, u]));
  const byName = new Map(users.map((u) => [u.username, u]));
  // Unknown usernames are checked against this hash so they take as long as wrong passwords.
  const decoy = await hashPassword('decoy-password-never-matches');
  const publicView = ({ id, username, name }: StoredUser): PublicUser => ({ id, username, name });
  return {
    byId(id) {
      const user = byId.get(id);
      return user && publicView(user);
    },
    async authenticate(username, password) {
      const user = byName.get(username);
      const ok = await checkPassword(password, user?.passwordHash ?? decoy);
      return ok && user ? publicView(user) : undefined;
    },
  };
}
