import { Query } from '@nestjs/cqrs';
import type { ProfileView } from '../../account.views';

/** The caller's own profile, from the `profiles` read model. */
export class GetProfileQuery extends Query<ProfileView> {
  constructor(readonly userId: string) {
    super();
  }
}
