/**
 * Complaint photos in MongoDB GridFS (bucket `complaint_media`), so staff can see them after the
 * platform's media link expires. A photo is stored as soon as it arrives (the draft keeps only its
 * id); photos of drafts never sent are pruned by a job.
 */
import { Readable } from 'node:stream';
import mongoose, { Types, type Connection } from 'mongoose';

export const MEDIA_BUCKET = 'complaint_media';

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

interface FileRow {
  _id: Types.ObjectId;
  length: number;
  contentType?: string;
  metadata?: PhotoMeta & { mimeType?: string };
}

export class ComplaintMediaStore {
  constructor(private readonly conn: Connection) {}

  private bucket(): mongoose.mongo.GridFSBucket {
    const db = this.conn.db;
    if (!db) throw new Error('database connection is not open');
    return new mongoose.mongo.GridFSBucket(db, { bucketName: MEDIA_BUCKET });
  }

  private files() {
    const db = this.conn.db;
    if (!db) throw new Error('database connection is not open');
    return db.collection<FileRow>(`${MEDIA_BUCKET}.files`);
  }

  /** Stores a photo (or returns the one already stored for `meta.key`). */
  async save(data: Buffer, mimeType: string, meta: Omit<PhotoMeta, 'attached'>): Promise<{ fileId: Types.ObjectId; size: number }> {
    const existing = await this.files().findOne({ 'metadata.key': meta.key });
    if (existing) return { fileId: existing._id, size: existing.length };
    const id = new Types.ObjectId();
    await new Promise<void>((resolve, reject) => {
      const upload = this.bucket().openUploadStreamWithId(id, `${meta.key}.${extensionOf(mimeType)}`, {
        metadata: { ...meta, attached: false, mimeType },
      });
      Readable.from([data]).pipe(upload).on('finish', () => resolve()).on('error', reject);
    });
    return { fileId: id, size: data.length };
  }

  /** Reads a photo's bytes. */
  async read(fileId: Types.ObjectId): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket().openDownloadStream(fileId)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Marks photos as part of a submitted complaint (the prune job keeps them). */
  async attach(fileIds: Types.ObjectId[]): Promise<void> {
    if (fileIds.length === 0) return;
    await this.files().updateMany({ _id: { $in: fileIds } }, { $set: { 'metadata.attached': true } });
  }

  /** Deletes photos of drafts never submitted, uploaded before `cutoff`. Returns how many. */
  async pruneUnattached(cutoff: Date): Promise<number> {
    const rows = await this.files()
      .find({ 'metadata.attached': false, 'metadata.uploadedAt': { $lt: cutoff } })
      .project<{ _id: Types.ObjectId }>({ _id: 1 })
      .limit(500)
      .toArray();
    for (const r of rows) await this.bucket().delete(r._id);
    return rows.length;
  }
}

function extensionOf(mimeType: string): string {
  if (mimeType === 'image/png') return 'png';
  if (mimeType === 'image/webp') return 'webp';
  if (mimeType === 'image/gif') return 'gif';
  if (mimeType.startsWith('image/')) return 'jpg';
  return 'bin';
}
