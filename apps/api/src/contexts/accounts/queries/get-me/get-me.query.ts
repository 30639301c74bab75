import { Query } from '@nestjs/cqrs';
import type { Principal } from '../../../access/authorization/principal';
import type { MeView } from '../../account.views';

/** Who the caller is: id, roles and MFA state from the verified session, plan from the PlanDirectory. */
export class GetMeQuery extends Query<MeView> {
  constructor(readonly principal: Principal) {
    super();
  }
}
