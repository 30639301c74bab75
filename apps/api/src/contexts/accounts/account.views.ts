import type { PrincipalRole } from '../access/authorization/principal';

/** The caller's profile; every field is null (and `erased` true) once the subject was erased. */
export interface ProfileView {
  displayName: string | null;
  email: string | null;
  phone: string | null;
  erased: boolean;
}

/** GET /v1/me. */
export interface MeView {
  id: string;
  roles: PrincipalRole[];
  plan: string;
  mfa: {
    /** The session has passed a second factor. */
    verified: boolean;
    /** Minutes since, or null. */
    ageMinutes: number | null;
    /** Recent enough for MFA-protected routes (MFA_MAX_AGE_MINUTES). */
    fresh: boolean;
  };
}
