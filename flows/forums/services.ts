/**
 * What the forum flows use: the forum domain services and the display zone. Owned by the flows;
 * src/features/forums.ts builds it.
 */
import type { ForumService } from '../../src/domain/forums/forum-service.js';
import type { ResidentNotices } from '../../src/domain/forums/notices.js';
import type { RegistrationService } from '../../src/domain/forums/registration-service.js';

/** What the forums flows use. */
export interface ForumsServices {
  forums: ForumService;
  registrations: RegistrationService;
  notices: ResidentNotices;
  /** Display time zone (Asia/Jakarta). */
  tz: string;
}
