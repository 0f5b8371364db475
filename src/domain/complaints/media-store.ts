/**
 * The complaint photos' storage port: photos are kept as soon as they arrive (the draft keeps only
 * the id), so staff can see them after the platform's media link expires; photos of drafts never
 * sent are pruned by a job. src/store/complaint-media.ts implements it on MongoDB GridFS (bucket
 * `complaint_media`), test/support/memory-complaint-store.ts in memory.
 */

/** What is kept about a stored photo besides its bytes. */
export interface PhotoMeta {
  /** Idempotency key of the message that brought it (a retried message reuses the file). */
  key: string;
  channel: string;
  userKey: string;
  /** App-clock time of the upload (the prune job compares with it). */
  uploadedAt: Date;
  /** True once part of a submitted complaint. */
  attached: boolean;
}

/** Where complaint photos are kept. Ids are strings (24 hex digits). */
export interface ComplaintMediaStore {
  /** Stores a photo (or returns the one already stored for `meta.key`). */
  save(data: Buffer, mimeType: string, meta: Omit<PhotoMeta, 'attached'>): Promise<{ fileId: string; size: number }>;
  /** Reads a photo's bytes; fails when there is no such photo. */
  read(fileId: string): Promise<Buffer>;
  /** Marks photos as part of a submitted complaint (the prune job keeps them). */
  attach(fileIds: readonly string[]): Promise<void>;
  /** Deletes photos of drafts never submitted, uploaded before `cutoff` (a batch at a time). Returns how many. */
  pruneUnattached(cutoff: Date): Promise<number>;
}

/** Whether `id` can be a photo id (24 hex digits). */
export const isPhotoId = (id: string): boolean => /^[0-9a-f]{24}$/i.test(id);
