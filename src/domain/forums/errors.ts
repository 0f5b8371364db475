/** Typed errors of the forums feature. Expected outcomes (full, closed …) are results, not errors. */

/** The forum a request names does not exist. */
export class ForumNotFoundError extends Error {
  override name = 'ForumNotFoundError';
  constructor(readonly forumId: string) {
    super(`forum ${forumId} not found`);
  }
}


/** A registration code could not be made unique (practically impossible; retried first). */
export class RegistrationCodeError extends Error {
  override name = 'RegistrationCodeError';
}
