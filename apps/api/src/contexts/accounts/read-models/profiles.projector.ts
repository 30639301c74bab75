import type { RecordedEvent } from '@ledgerline/event-store';
import { isAccountEvent, PROFILE_FIELDS, type AccountEvent, type ProfileField } from '@ledgerline/domain';
import type { Projector, ReadTx } from '@ledgerline/projections';
import { eventTime } from '../../../platform/projections/event-time';

/** Column of each profile field in `profiles`. */
export const PROFILE_COLUMNS: Record<ProfileField, string> = { displayName: 'display_name', email: 'email', phone: 'phone' };

/**
 * Read model `profiles`: one row per account, each field as stored in the events (`{"$jwe":…}`
 * JSON text) or NULL. An erasure clears the fields too: their key is gone, so the ciphertext is
 * noise, and the row keeps only the fact and time of the erasure.
 */
export const profilesProjector: Projector = {
  name: 'profiles',
  version: 1,
  async migrate(tx: ReadTx): Promise<void> {
    await tx.exec(`CREATE TABLE IF NOT EXISTS profiles (
      user_id TEXT PRIMARY KEY,
      display_name TEXT,
      email TEXT,
      phone TEXT,
      erased INTEGER NOT NULL,
      erased_at TEXT,
      revision INTEGER NOT NULL,
      updated_at TEXT NOT NULL
    )`);
  },
  async drop(tx: ReadTx): Promise<void> {
    await tx.exec('DROP TABLE IF EXISTS profiles');
  },
  handles: (type) => isAccountEvent({ type }),
  async apply(recorded: RecordedEvent, tx: ReadTx): Promise<void> {
    const event = recorded as unknown as AccountEvent;
    const time = eventTime(recorded);
    switch (event.type) {
      case 'ProfileUpdated': {
        const given = PROFILE_FIELDS.filter((field) => event.data[field] !== undefined);
        const values = PROFILE_FIELDS.map((field) => {
          const value = event.data[field];
          return value ? JSON.stringify(value) : null;
        });
        // Only the fields the event carries change; the others keep their stored value.
        const updates = given.map((field) => `${PROFILE_COLUMNS[field]} = excluded.${PROFILE_COLUMNS[field]}`);
        await tx.query(
          `INSERT INTO profiles (user_id, display_name, email, phone, erased, erased_at, revision, updated_at)
           VALUES ($1, $2, $3, $4, 0, NULL, $5, $6)
           ON CONFLICT (user_id) DO UPDATE SET ${[...updates, 'revision = excluded.revision', 'updated_at = excluded.updated_at'].join(', ')}`,
          [event.data.userId, ...values, recorded.revision, time],
        );
        return;
      }
      case 'SubjectErased':
        await tx.query(
          `INSERT INTO profiles (user_id, display_name, email, phone, erased, erased_at, revision, updated_at)
           VALUES ($1, NULL, NULL, NULL, 1, $2, $3, $4)
           ON CONFLICT (user_id) DO UPDATE SET display_name = NULL, email = NULL, phone = NULL, erased = 1,
             erased_at = excluded.erased_at, revision = excluded.revision, updated_at = excluded.updated_at`,
          [event.data.userId, event.data.erasedAt, recorded.revision, time],
        );
        return;
      default: {
        const unknown: never = event;
        void unknown;
      }
    }
  },
};
